/** Messages of the courses domain (owned by the courses pages; Vietnamese first, English typed against it). */
export const vi = {} as const;

export const en: Record<keyof typeof vi, string> = {};
