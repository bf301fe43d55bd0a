/**
 * Vietnamese messages: the default language. Every visible string goes through `t(key)`. Each domain keeps its
 * messages in messages/<domain>.ts; keys are prefixed by domain so the merged catalogue has no collisions.
 */
import * as admin from "./messages/admin";
import * as certificates from "./messages/certificates";
import * as core from "./messages/core";
import * as courses from "./messages/courses";
import * as exams from "./messages/exams";
import * as reports from "./messages/reports";

export const vi = { ...core.vi, ...courses.vi, ...exams.vi, ...certificates.vi, ...reports.vi, ...admin.vi } as const;

export type MessageKey = keyof typeof vi;

export const domains = { core, courses, exams, certificates, reports, admin };
