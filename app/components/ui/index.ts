/** The design system's components (see README.md beside this file). Styles live in app/styles/app.css. */
export { Badge, toneOf, type BadgeTone } from "./badge";
export { Button, LinkButton, type ButtonVariant } from "./button";
export { Card } from "./card";
export { DataTable, type Column } from "./data-table";
export { EmptyState } from "./empty-state";
export { Facts, type Fact } from "./facts";
export { Breadcrumbs, PageHeader, type Crumb } from "./page-header";
export { ProgressBar } from "./progress-bar";
export { Skeleton } from "./skeleton";
export { StatCard } from "./stat-card";
export { Tabs, type TabItem } from "./tabs";
export { FlashToast, type ToastNotice } from "./toast";
