/**
 * /verify — public: type a serial (and, to see the full name, the holder's name as printed), or upload the PDF
 * (max 5 MB). Rate-limited per client address (verify.server.ts).
 */
import "~/styles/certificates.css";
import {
  data,
  unstable_createMemoryUploadHandler,
  unstable_parseMultipartFormData,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { clientIp } from "~/certificates/http.server";
import { MAX_UPLOAD_BYTES } from "~/certificates/pdf-check.server";
import { VerifyResultView, type VerifyAnswer } from "~/certificates/ui";
import { signerIsDemo, takeVerifyFormToken, verifyPdf, verifySerial } from "~/certificates/verify.server";
import { detectLocale, makeT, type MessageKey, metaLocale, pageTitle } from "~/i18n";
import { useT } from "~/i18n/react";

export const meta: MetaFunction = ({ matches }) => {
  const locale = metaLocale(matches);
  const t = makeT(locale);
  return [{ title: pageTitle(locale, t("certificates.verify.formTitle")) }, { name: "robots", content: "noindex" }];
};

export async function loader({ request }: LoaderFunctionArgs) {
  const serial = new URL(request.url).searchParams.get("serial") ?? "";
  return { serial: serial.slice(0, 40), signerDemo: await signerIsDemo() };
}

type ActionResult = { error: string | null; result: VerifyAnswer | null; mode: "serial" | "pdf"; serial: string; name: string };

const SerialSchema = z.object({ serial: z.string().trim().min(1).max(40), name: z.string().max(200).optional() });

export async function action({ request, context }: ActionFunctionArgs) {
  const t = makeT(detectLocale(request.headers.get("Cookie")));
  const isUpload = (request.headers.get("Content-Type") ?? "").startsWith("multipart/form-data");
  const reply = (r: Partial<ActionResult>, status = 200) =>
    data<ActionResult>({ error: null, result: null, mode: isUpload ? "pdf" : "serial", serial: "", name: "", ...r }, { status, headers: { "Cache-Control": "no-store" } });

  const bucket = takeVerifyFormToken(clientIp(context));
  if (!bucket.ok) return reply({ error: t("certificates.verify.rateLimited", { seconds: bucket.retryAfter }) }, 429);

  if (isUpload) {
    const declared = Number(request.headers.get("Content-Length") ?? 0);
    if (declared > MAX_UPLOAD_BYTES + 64 * 1024) return reply({ error: t("certificates.verify.file.too_large") }, 413);
    let file: File | null = null;
    try {
      const form = await unstable_parseMultipartFormData(request, unstable_createMemoryUploadHandler({ maxPartSize: MAX_UPLOAD_BYTES }));
      const f = form.get("file");
      file = f instanceof File && f.size > 0 ? f : null;
    } catch {
      return reply({ error: t("certificates.verify.file.too_large") }, 413);
    }
    if (!file) return reply({ error: t("certificates.verify.file.missing") }, 400);
    const r = await verifyPdf(new Uint8Array(await file.arrayBuffer()));
    if ("fileError" in r && r.fileError) return reply({ error: t(`certificates.verify.file.${r.fileError}` as MessageKey) }, 400);
    return reply({ result: r as VerifyAnswer });
  }

  const parsed = SerialSchema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return reply({ error: t("certificates.verify.serialRequired") }, 400);
  const r = await verifySerial({ serial: parsed.data.serial, name: parsed.data.name ?? null });
  if (r.serialError) {
    return reply({ error: t(`certificates.verify.serialError.${r.serialError}` as MessageKey), serial: parsed.data.serial, name: parsed.data.name ?? "" }, 400);
  }
  return reply({ result: r, serial: parsed.data.serial, name: parsed.data.name ?? "" });
}

export default function VerifyPage() {
  const { serial, signerDemo } = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>();
  const navigation = useNavigation();
  const busy = navigation.state === "submitting";
  const t = useT();
  return (
    <div className="verify-page">
      <h1>{t("certificates.verify.formTitle")}</h1>
      <p className="muted">{t("certificates.verify.formLead")}</p>
      {a?.error ? (
        <p className="alert error" role="alert">
          {a.error}
        </p>
      ) : null}
      {a?.result ? <VerifyResultView result={a.result} signerDemo={signerDemo} /> : null}
      <div className="grid verify-forms">
        <section className="card" aria-labelledby="by-serial">
          <h2 id="by-serial">{t("certificates.verify.bySerial")}</h2>
          <Form method="post" className="form" replace>
            <div className="field">
              <label htmlFor="serial">{t("certificates.field.serial")}</label>
              <input id="serial" name="serial" required maxLength={40} autoCapitalize="characters" spellCheck={false} placeholder="KNS-2025-000123-H" defaultValue={a?.mode === "serial" ? a.serial : serial} aria-describedby="serial-help" />
              <p className="muted" id="serial-help">
                {t("certificates.verify.serialHelp")}
              </p>
            </div>
            <div className="field">
              <label htmlFor="name">{t("certificates.verify.nameOptional")}</label>
              <input id="name" name="name" maxLength={200} autoComplete="off" defaultValue={a?.mode === "serial" ? a.name : ""} aria-describedby="name-help" />
              <p className="muted" id="name-help">
                {t("certificates.verify.nameHelp")}
              </p>
            </div>
            <button type="submit" className="primary" disabled={busy}>
              {t("certificates.verify.check")}
            </button>
          </Form>
        </section>
        <section className="card" aria-labelledby="by-file">
          <h2 id="by-file">{t("certificates.verify.byFile")}</h2>
          <Form method="post" encType="multipart/form-data" className="form" replace>
            <div className="field">
              <label htmlFor="file">{t("certificates.verify.file")}</label>
              <input id="file" name="file" type="file" accept="application/pdf,.pdf" required aria-describedby="file-help" />
              <p className="muted" id="file-help">
                {t("certificates.verify.fileHelp")}
              </p>
            </div>
            <button type="submit" className="primary" disabled={busy}>
              {t("certificates.verify.checkFile")}
            </button>
          </Form>
        </section>
      </div>
    </div>
  );
}
