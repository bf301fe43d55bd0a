/** Messages of the reports domain (owned by the reports pages; Vietnamese first, English typed against it). */
export const vi = {} as const;

export const en: Record<keyof typeof vi, string> = {};
