import type { ElementType, ReactNode } from "react";

/** A white surface with a border; `as` picks the element (section, li, article…), default <section>. */
export function Card({ as: Tag = "section", className, children, ...rest }: { as?: ElementType; className?: string; children: ReactNode } & Record<string, unknown>) {
  return (
    <Tag className={["card", className].filter(Boolean).join(" ")} {...rest}>
      {children}
    </Tag>
  );
}
