/** Messages of the exams domain (owned by the exams pages; Vietnamese first, English typed against it). */
export const vi = {} as const;

export const en: Record<keyof typeof vi, string> = {};
