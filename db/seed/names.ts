/** Vietnamese name parts for demo and synthetic rosters (NFC). */
export const FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Đinh", "Trương", "Lâm", "Mai", "Tạ", "Quách", "Lương", "Thạch", "Y", "H'"] as const;
export const FAMILY_WEIGHTS = [38, 11, 9.5, 7, 5, 5, 4.5, 3.9, 3.5, 2.1, 2, 1.4, 1.3, 1.3, 1, 0.5, 0.5, 0.5, 0.4, 0.4, 0.3, 0.2, 0.3, 0.2, 0.2, 0.2];
export const MIDDLE_F = ["Thị", "Thị", "Thị", "Ngọc", "Thu", "Thanh", "Minh", "Bích", "Kim", "Hoài", "Phương"] as const;
export const MIDDLE_M = ["Văn", "Văn", "Đức", "Quốc", "Minh", "Hữu", "Thanh", "Công", "Quang", "Xuân", "Đình"] as const;
export const GIVEN_F = ["Lan", "Hạnh", "Thu", "Hường", "Ánh Tuyết", "Phương Thảo", "Mai", "Hoa", "Ngọc", "Trang", "Hằng", "Nhung", "Yến", "Diệp", "Loan", "Thúy", "Oanh", "Quyên", "Vân", "Xuân", "Linh", "Giang", "Huyền", "Trâm"] as const;
export const GIVEN_M = ["Minh", "Tuấn", "Dũng", "Vượng", "Hùng", "Cường", "Thắng", "Long", "Khánh", "Phúc", "Nam", "Sơn", "Hải", "Quý", "Lộc", "Đạt", "Trọng", "Việt", "Bảo", "Khôi", "Toàn", "Hiếu", "Nghĩa", "Thịnh"] as const;

/** Small deterministic PRNG (mulberry32): the same seed gives the same roster on every machine. */
export function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function pick<T>(rand: () => number, items: readonly T[], weights?: readonly number[]): T {
  if (!weights) return items[Math.floor(rand() * items.length)]!;
  const total = weights.reduce((a, b) => a + b, 0);
  let x = rand() * total;
  for (let i = 0; i < items.length; i++) {
    x -= weights[i]!;
    if (x <= 0) return items[i]!;
  }
  return items[items.length - 1]!;
}

export function vietnameseName(rand: () => number): string {
  const female = rand() < 0.52;
  const family = pick(rand, FAMILY, FAMILY_WEIGHTS);
  const middle = pick(rand, female ? MIDDLE_F : MIDDLE_M);
  const given = pick(rand, female ? GIVEN_F : GIVEN_M);
  return `${family} ${middle} ${given}`.normalize("NFC");
}

// ---------------------------------------------------------------------------------------------------------------
// Compact names for large synthetic rosters (db/seed/national.ts). A name is a 32-bit code of part indices, so a
// 2.5 M-person roster keeps one Uint32Array instead of 2.5 M strings, and `nameFromCode` builds (and caches) the
// ~15,000 distinct strings. Most names are Kinh (family + middle + given); about 2 % follow the Ê Đê / Gia Rai
// pattern "Y <given> <clan>" (men) or "H'<given> <clan>" (women), where the clan name comes last.

/** Kinh family names: FAMILY without the Ê Đê prefixes "Y" and "H'" (those are not family names). */
export const KINH_FAMILY = FAMILY.slice(0, FAMILY.indexOf("Y"));
export const KINH_FAMILY_WEIGHTS = FAMILY_WEIGHTS.slice(0, FAMILY.indexOf("Y"));
export const HIGHLAND_CLANS = ["Niê", "Êban", "Mlô", "Ksơr", "Rơ Châm", "Siu", "Byă", "Adrơng", "Buôn Yă", "Hđơk"] as const;
export const HIGHLAND_GIVEN_M = ["Bhin", "Moan", "Thuột", "Jut", "Khuê", "Blin", "Ngông", "Djăp"] as const;
export const HIGHLAND_GIVEN_F = ["Lan", "Hen", "Nhi", "Yơn", "Bia", "Dơk", "Ngơm", "Hiă"] as const;

/** Cumulative weights, so a weighted pick over a fixed list is one binary search instead of a sum per call. */
export function cumulative(weights: readonly number[]): Float64Array {
  const c = new Float64Array(weights.length);
  let sum = 0;
  for (let i = 0; i < weights.length; i++) c[i] = sum += weights[i]!;
  return c;
}

/** Index drawn with probability proportional to the weights behind `cum` (from `cumulative`). */
export function pickIndex(rand: () => number, cum: Float64Array): number {
  const x = rand() * cum[cum.length - 1]!;
  let lo = 0;
  let hi = cum.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cum[mid]! > x) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

const KINH_CUM = cumulative(KINH_FAMILY_WEIGHTS);

/**
 * A name code: bit 31 unused, bit 24 highland pattern, bit 23 female, then part indices (family/clan 8 bits,
 * middle 7 bits, given 8 bits). Draws 4 or 5 random numbers in a fixed order.
 */
export function nameCode(rand: () => number, highlandShare = 0.02): number {
  const female = rand() < 0.52 ? 1 : 0;
  if (rand() < highlandShare) {
    const clan = Math.floor(rand() * HIGHLAND_CLANS.length);
    const given = Math.floor(rand() * (female ? HIGHLAND_GIVEN_F : HIGHLAND_GIVEN_M).length);
    return (1 << 24) | (female << 23) | (clan << 15) | given;
  }
  const family = pickIndex(rand, KINH_CUM);
  const middle = Math.floor(rand() * (female ? MIDDLE_F : MIDDLE_M).length);
  const given = Math.floor(rand() * (female ? GIVEN_F : GIVEN_M).length);
  return (female << 23) | (family << 15) | (middle << 8) | given;
}

const nameCache = new Map<number, string>();

/** The NFC full name of a code from `nameCode`. */
export function nameFromCode(code: number): string {
  const cached = nameCache.get(code);
  if (cached !== undefined) return cached;
  const female = (code >>> 23) & 1;
  const a = (code >>> 15) & 0xff;
  const b = (code >>> 8) & 0x7f;
  const c = code & 0xff;
  let name: string;
  if ((code >>> 24) & 1) {
    const given = (female ? HIGHLAND_GIVEN_F : HIGHLAND_GIVEN_M)[c]!;
    name = female ? `H'${given} ${HIGHLAND_CLANS[a]}` : `Y ${given} ${HIGHLAND_CLANS[a]}`;
  } else {
    name = `${KINH_FAMILY[a]} ${(female ? MIDDLE_F : MIDDLE_M)[b]} ${(female ? GIVEN_F : GIVEN_M)[c]}`;
  }
  name = name.normalize("NFC");
  nameCache.set(code, name);
  return name;
}

/** A standard normal deviate (Box–Muller), for log-normal unit sizes. */
export function normal(rand: () => number): number {
  const u = 1 - rand(); // (0, 1]
  const v = rand();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}
