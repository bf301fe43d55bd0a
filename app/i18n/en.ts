import { domains, type MessageKey } from "./vi";

/** English messages. Each domain's English is typed against its Vietnamese, so a missing key fails `tsc`. */
export const en: Record<MessageKey, string> = Object.assign({}, ...Object.values(domains).map((d) => d.en));
