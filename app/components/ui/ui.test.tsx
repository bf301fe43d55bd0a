import { createElement, type ReactElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { StaticRouter } from "react-router-dom/server";
import { describe, expect, it } from "vitest";
import { Badge, Breadcrumbs, Button, DataTable, EmptyState, Facts, FlashToast, LinkButton, PageHeader, ProgressBar, Skeleton, StatCard, Tabs, toneOf } from "./index";

// Remix marks links for route discovery (data-discover); irrelevant here.
const html = (el: ReactElement) => renderToStaticMarkup(createElement(StaticRouter, { location: "/here" }, el)).replaceAll(' data-discover="true"', "");

describe("Badge", () => {
  it("colours every status word by one tone: on track and valid green-ish, at risk amber, off track and revoked red", () => {
    expect([toneOf("met"), toneOf("valid"), toneOf("on_track")]).toEqual(["success", "success", "info"]);
    expect([toneOf("at_risk"), toneOf("suspended"), toneOf("expired")]).toEqual(["warning", "warning", "warning"]);
    expect([toneOf("off_track"), toneOf("revoked"), toneOf("altered")]).toEqual(["danger", "danger", "danger"]);
    expect(toneOf("something-new")).toBe("neutral");
    expect(html(<Badge status="revoked">Đã thu hồi</Badge>)).toBe('<span class="badge badge--danger" data-status="revoked">Đã thu hồi</span>');
    expect(html(<Badge>T-DS-100</Badge>)).toBe('<span class="badge badge--neutral">T-DS-100</span>');
  });
});

describe("Button and LinkButton", () => {
  it("submit by default, variants as classes; a LinkButton stays a link", () => {
    expect(html(<Button>Lưu</Button>)).toBe('<button type="submit" class="button">Lưu</button>');
    expect(html(<Button variant="danger" size="small" type="button">Xoá</Button>)).toBe('<button type="button" class="button danger small">Xoá</button>');
    expect(html(<LinkButton to="/hr/import" variant="secondary">Nhập</LinkButton>)).toMatch(/^<a class="button secondary" href="\/hr\/import"[^>]*>Nhập<\/a>$/);
  });
});

describe("ProgressBar", () => {
  it("is a progressbar with its label and value, clamped to the range, with the target mark", () => {
    const out = html(<ProgressBar value={140} label="Tiến độ" valueText="140%" target={50} />);
    expect(out).toContain('role="progressbar"');
    expect(out).toContain('aria-label="Tiến độ"');
    expect(out).toContain('aria-valuenow="100"');
    expect(out).toContain('aria-valuetext="140%"');
    expect(out).toContain('style="width:100%"');
    expect(out).toContain('class="progress__target" style="left:50%"');
    expect(html(<ProgressBar value={2} max={5} label="Đã đọc" />)).toContain('style="width:40%"');
    expect(html(<ProgressBar value={0} max={0} label="Trống" />)).toContain('aria-valuemax="1"');
  });
});

describe("DataTable", () => {
  it("labels every cell with its column header (the stacked cards on phones) and names rows by their row header", () => {
    const rows = [
      { code: "01", name: "Hà Nội", n: 1200 },
      { code: "79", name: "TP. Hồ Chí Minh", n: 900 },
    ];
    const out = html(
      <DataTable
        label="Đơn vị"
        rows={rows}
        rowKey={(r) => r.code}
        columns={[
          { header: "Đơn vị", rowHeader: true, cell: (r) => r.name },
          { header: "Số người", num: true, cell: (r) => r.n },
        ]}
      />,
    );
    expect(out).toContain('<table class="table data-table" aria-label="Đơn vị">');
    expect(out).toContain('<th scope="col" class="num">Số người</th>');
    expect(out).toContain('<th scope="row" data-label="Đơn vị"><span class="cell">Hà Nội</span></th>');
    expect(out).toContain('<td data-label="Số người" class="num"><span class="cell">900</span></td>');
    expect(out.match(/<tr>/g)).toHaveLength(3);
  });

  it("marks long columns to stack their label above the value on phones", () => {
    const out = html(<DataTable rows={[{ t: "Một đoạn dài" }]} rowKey={() => "a"} columns={[{ header: "Lý do", stack: true, cell: (r) => r.t }]} />);
    expect(out).toContain('<td data-label="Lý do" class="stack"><span class="cell">Một đoạn dài</span></td>');
  });

  it("uses a visible caption instead of aria-label when given", () => {
    const out = html(<DataTable caption="Danh sách" label="ignored" rows={[]} rowKey={() => ""} columns={[{ header: "A", cell: () => "" }]} />);
    expect(out).toContain("<caption>Danh sách</caption>");
    expect(out).not.toContain("aria-label");
  });
});

describe("Tabs", () => {
  it("are links (no JavaScript needed), the current one marked aria-current=page", () => {
    const out = html(
      <Tabs
        label="Chứng nhận"
        items={[
          { href: "/a", label: "Còn hiệu lực", current: true, count: 3 },
          { href: "/b", label: "Đã thu hồi" },
        ]}
      />,
    );
    expect(out).toMatch(/^<nav class="tabs" aria-label="Chứng nhận">/);
    expect(out).toMatch(/<a class="tabs__link" aria-current="page" href="\/a"[^>]*>Còn hiệu lực<span class="tabs__count">3<\/span><\/a>/);
    expect(out).toMatch(/<a class="tabs__link" href="\/b"[^>]*>Đã thu hồi<\/a>/);
  });
});

describe("PageHeader and Breadcrumbs", () => {
  it("renders the trail as links, one h1, the lead and the actions", () => {
    const out = html(<PageHeader crumbs={[{ href: "/hr", label: "Báo cáo" }]} crumbsLabel="Đường dẫn" title="Hà Nội" lead="Tỉnh" actions={<span>act</span>} />);
    expect(out).toMatch(/<nav aria-label="Đường dẫn" class="breadcrumbs"><ol class="list-plain"><li><a href="\/hr"[^>]*>Báo cáo<\/a><\/li><\/ol><\/nav>/);
    expect(out).toContain("<h1>Hà Nội</h1>");
    expect(out).toContain('<p class="page-header__lead muted">Tỉnh</p>');
    expect(out).toContain('<div class="page-header__actions"><span>act</span></div>');
    expect(html(<Breadcrumbs items={[]} label="x" />)).toBe("");
  });
});

describe("StatCard, EmptyState, Skeleton", () => {
  it("StatCard shows the number, its label (a link when href is given) and the target line", () => {
    const out = html(<StatCard label="Tài khoản" value="1.234" target="Chỉ tiêu 100%" href="/admin/users" />);
    expect(out).toMatch(/<h2 class="stat-card__label"><a href="\/admin\/users"[^>]*>Tài khoản<\/a><\/h2><p class="stat">1.234<\/p><p class="stat-card__target">Chỉ tiêu 100%<\/p>/);
  });

  it("EmptyState says why and offers the action", () => {
    expect(html(<EmptyState title="Chưa có chứng nhận" action={<a href="/courses">Học</a>} />)).toBe(
      '<div class="empty-state"><p class="empty-state__title">Chưa có chứng nhận</p><p class="empty-state__action"><a href="/courses">Học</a></p></div>',
    );
  });

  it("Skeleton announces the label and hides its grey lines from screen readers", () => {
    const out = html(<Skeleton lines={2} label="Đang tải…" />);
    expect(out).toContain('role="status"');
    expect(out).toContain('<span class="visually-hidden">Đang tải…</span>');
    expect(out.match(/aria-hidden="true"/g)).toHaveLength(2);
  });
});

describe("FlashToast", () => {
  it("announces the notice (status, or alert for errors), and renders nothing without one", () => {
    expect(html(<FlashToast notice={{ id: "1", text: "Đã lưu.", tone: "success" }} closeLabel="Đóng" />)).toBe(
      '<div class="toast toast--success" data-testid="flash"><div class="toast__text" role="status" aria-live="polite">Đã lưu.</div></div>',
    );
    expect(html(<FlashToast notice={{ id: "2", text: "Lỗi", tone: "error" }} closeLabel="Đóng" />)).toContain('role="alert" aria-live="assertive"');
    expect(html(<FlashToast notice={null} closeLabel="Đóng" />)).toBe("");
  });
});

describe("Facts", () => {
  it("renders label–value pairs as a description list, skipping absent items", () => {
    expect(html(<Facts className="cert-facts" items={[{ label: "Số hiệu", value: <code>KNS-1</code> }, false, null, { label: "Người được cấp", value: "Lan", lang: "vi" }]} />)).toBe(
      '<dl class="facts cert-facts"><div><dt>Số hiệu</dt><dd><code>KNS-1</code></dd></div><div><dt>Người được cấp</dt><dd lang="vi">Lan</dd></div></dl>',
    );
  });
});
