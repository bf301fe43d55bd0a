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
