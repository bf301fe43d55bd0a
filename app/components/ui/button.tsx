import { Link, type LinkProps } from "@remix-run/react";
import type { ButtonHTMLAttributes } from "react";

export type ButtonVariant = "primary" | "secondary" | "danger";
export type ButtonSize = "normal" | "small";

function buttonClass(variant: ButtonVariant, size: ButtonSize, extra?: string): string {
  return ["button", variant === "primary" ? null : variant, size === "small" ? "small" : null, extra].filter(Boolean).join(" ");
}

/** A real <button>; type defaults to "submit" (most buttons here submit a Remix <Form>). */
export function Button({ variant = "primary", size = "normal", className, type = "submit", ...rest }: ButtonHTMLAttributes<HTMLButtonElement> & { variant?: ButtonVariant; size?: ButtonSize }) {
  return <button type={type} className={buttonClass(variant, size, className)} {...rest} />;
}

/** A link that looks like a button (navigation, not an action: it stays a link for screen readers). */
export function LinkButton({ variant = "primary", size = "normal", className, ...rest }: LinkProps & { variant?: ButtonVariant; size?: ButtonSize }) {
  return <Link className={buttonClass(variant, size, className)} {...rest} />;
}
