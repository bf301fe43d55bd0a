/** Messages of the certificates domain (owned by the certificates pages; Vietnamese first, English typed against it). */
export const vi = {} as const;

export const en: Record<keyof typeof vi, string> = {};
