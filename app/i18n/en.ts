import { en as admin } from "./messages/admin";
import { en as certificates } from "./messages/certificates";
import { en as core } from "./messages/core";
import { en as courses } from "./messages/courses";
import { en as exams } from "./messages/exams";
import { en as reports } from "./messages/reports";
import type { MessageKey } from "./vi";

/**
 * English messages. Each domain's English is typed against its Vietnamese, so a missing key fails `tsc`. Named
 * imports (not the `domains` namespaces) so that browser bundles, which load this module on demand only for
 * English readers, keep the Vietnamese and the English parts of the domain files apart (ADR 0009).
 */
export const en: Record<MessageKey, string> = { ...core, ...courses, ...exams, ...certificates, ...reports, ...admin };
