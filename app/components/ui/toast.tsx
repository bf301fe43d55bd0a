import { useLocation } from "@remix-run/react";
import { useEffect, useState } from "react";

export interface ToastNotice {
  id: string;
  text: string;
  tone: "success" | "info" | "error";
}

/**
 * The flash notice set by the previous POST (app/utils/flash.server.ts), announced politely. It stays until the
 * reader moves to another page or closes it; render it with key={notice.id} so each new notice starts afresh.
 */
export function FlashToast({ notice, closeLabel }: { notice: ToastNotice | null; closeLabel: string }) {
  const location = useLocation();
  const [shownAt] = useState(location.key);
  const [closed, setClosed] = useState(false);
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  if (!notice || closed || location.key !== shownAt) return null;
  return (
    <div className={`toast toast--${notice.tone}`} data-testid="flash">
      <div className="toast__text" role={notice.tone === "error" ? "alert" : "status"} aria-live={notice.tone === "error" ? "assertive" : "polite"}>
        {notice.text}
      </div>
      {hydrated ? (
        <button type="button" className="toast__close" onClick={() => setClosed(true)} aria-label={closeLabel}>
          ×
        </button>
      ) : null}
    </div>
  );
}
