/**
 * Department templates for the synthetic national roster (db/seed/national.ts): what a ministry and a province
 * typically has below it. `kind` drives the mix of people: administrative units (Vụ, Sở, Văn phòng) are mostly
 * civil servants; public-service units (hospitals, schools, institutes) are mostly public employees; digital units
 * hold most of the IT/DX staff. `weight` is the relative head count. Names are NFC Vietnamese with English.
 */

export type DepartmentKind = "admin" | "digital" | "service";

export interface DepartmentTemplate {
  nameVi: string;
  nameEn: string;
  kind: DepartmentKind;
  weight: number;
}

/** Up to 25 per central body, in the order they are created (the first 15 always exist). */
export const CENTRAL_DEPARTMENTS: readonly DepartmentTemplate[] = [
  { nameVi: "Văn phòng", nameEn: "Office", kind: "admin", weight: 1.6 },
  { nameVi: "Vụ Tổ chức cán bộ", nameEn: "Personnel Department", kind: "admin", weight: 0.8 },
  { nameVi: "Vụ Kế hoạch - Tài chính", nameEn: "Planning and Finance Department", kind: "admin", weight: 0.9 },
  { nameVi: "Vụ Pháp chế", nameEn: "Legal Department", kind: "admin", weight: 0.7 },
  { nameVi: "Vụ Hợp tác quốc tế", nameEn: "International Cooperation Department", kind: "admin", weight: 0.7 },
  { nameVi: "Thanh tra", nameEn: "Inspectorate", kind: "admin", weight: 0.9 },
  { nameVi: "Trung tâm Thông tin và Chuyển đổi số", nameEn: "Information and Digital Transformation Centre", kind: "digital", weight: 0.8 },
  { nameVi: "Vụ Khoa học và Công nghệ", nameEn: "Science and Technology Department", kind: "admin", weight: 0.6 },
  { nameVi: "Vụ Tổng hợp", nameEn: "General Affairs Department", kind: "admin", weight: 0.6 },
  { nameVi: "Vụ Thi đua - Khen thưởng", nameEn: "Emulation and Commendation Department", kind: "admin", weight: 0.5 },
  { nameVi: "Cục Quản lý chất lượng", nameEn: "Quality Management Agency", kind: "admin", weight: 1.5 },
  { nameVi: "Viện Chiến lược và Chính sách", nameEn: "Institute of Strategy and Policy", kind: "service", weight: 1.4 },
  { nameVi: "Trường Đào tạo, bồi dưỡng cán bộ", nameEn: "Staff Training School", kind: "service", weight: 2.2 },
  { nameVi: "Bệnh viện", nameEn: "Hospital", kind: "service", weight: 6 },
  { nameVi: "Trường Đại học", nameEn: "University", kind: "service", weight: 7 },
  { nameVi: "Cục Công nghệ thông tin", nameEn: "Information Technology Agency", kind: "digital", weight: 0.9 },
  { nameVi: "Vụ Chính sách", nameEn: "Policy Department", kind: "admin", weight: 0.6 },
  { nameVi: "Cục Kiểm tra", nameEn: "Inspection Agency", kind: "admin", weight: 1.2 },
  { nameVi: "Vụ Quản lý ngành", nameEn: "Sector Management Department", kind: "admin", weight: 0.7 },
  { nameVi: "Trung tâm Dữ liệu", nameEn: "Data Centre", kind: "digital", weight: 0.6 },
  { nameVi: "Báo điện tử", nameEn: "Online Newspaper", kind: "service", weight: 1.1 },
  { nameVi: "Tạp chí", nameEn: "Journal", kind: "service", weight: 0.5 },
  { nameVi: "Cục Thống kê và Dữ liệu ngành", nameEn: "Sector Statistics and Data Agency", kind: "digital", weight: 0.8 },
  { nameVi: "Ban Quản lý dự án", nameEn: "Project Management Board", kind: "admin", weight: 0.6 },
  { nameVi: "Trung tâm Dịch vụ sự nghiệp công", nameEn: "Public Service Centre", kind: "service", weight: 1.5 },
];

/** Up to 20 per province, in the order they are created (the first 15 always exist). */
export const PROVINCE_DEPARTMENTS: readonly DepartmentTemplate[] = [
  { nameVi: "Văn phòng Ủy ban nhân dân", nameEn: "Office of the People's Committee", kind: "admin", weight: 1.2 },
  { nameVi: "Sở Nội vụ", nameEn: "Department of Home Affairs", kind: "admin", weight: 1.2 },
  { nameVi: "Sở Tài chính", nameEn: "Department of Finance", kind: "admin", weight: 1.5 },
  { nameVi: "Sở Tư pháp", nameEn: "Department of Justice", kind: "admin", weight: 0.8 },
  { nameVi: "Sở Công Thương", nameEn: "Department of Industry and Trade", kind: "admin", weight: 1.1 },
  { nameVi: "Sở Nông nghiệp và Môi trường", nameEn: "Department of Agriculture and Environment", kind: "admin", weight: 3 },
  { nameVi: "Sở Xây dựng", nameEn: "Department of Construction", kind: "admin", weight: 1.4 },
  { nameVi: "Sở Khoa học và Công nghệ", nameEn: "Department of Science and Technology", kind: "digital", weight: 1.1 },
  { nameVi: "Sở Giáo dục và Đào tạo", nameEn: "Department of Education and Training", kind: "service", weight: 34 },
  { nameVi: "Sở Y tế", nameEn: "Department of Health", kind: "service", weight: 9 },
  { nameVi: "Sở Văn hóa, Thể thao và Du lịch", nameEn: "Department of Culture, Sports and Tourism", kind: "admin", weight: 1.3 },
  { nameVi: "Thanh tra", nameEn: "Inspectorate", kind: "admin", weight: 0.7 },
  { nameVi: "Sở Dân tộc và Tôn giáo", nameEn: "Department of Ethnic and Religious Affairs", kind: "admin", weight: 0.5 },
  { nameVi: "Bệnh viện Đa khoa", nameEn: "General Hospital", kind: "service", weight: 8 },
  { nameVi: "Trung tâm Phục vụ hành chính công", nameEn: "Public Administration Service Centre", kind: "digital", weight: 0.6 },
  { nameVi: "Trung tâm Kiểm soát bệnh tật", nameEn: "Centre for Disease Control", kind: "service", weight: 2 },
  { nameVi: "Trường Cao đẳng", nameEn: "Vocational College", kind: "service", weight: 3 },
  { nameVi: "Sở Ngoại vụ", nameEn: "Department of Foreign Affairs", kind: "admin", weight: 0.4 },
  { nameVi: "Ban Quản lý các khu công nghiệp", nameEn: "Industrial Zones Authority", kind: "admin", weight: 0.5 },
  { nameVi: "Đài Phát thanh và Truyền hình", nameEn: "Radio and Television Station", kind: "service", weight: 1.2 },
];

export const CENTRAL_DEPARTMENTS_MIN = 15;
export const CENTRAL_DEPARTMENTS_MAX = 25;
export const PROVINCE_DEPARTMENTS_MIN = 15;
export const PROVINCE_DEPARTMENTS_MAX = 20;

/** "Tỉnh Cà Mau" → "tỉnh Cà Mau", as it reads inside a department's name ("Sở Y tế tỉnh Cà Mau"). */
export function inlineProvinceName(nameVi: string): string {
  return nameVi.charAt(0).toLocaleLowerCase("vi") + nameVi.slice(1);
}

export function centralDepartmentName(t: DepartmentTemplate, parent: { nameVi: string; nameEn: string | null }) {
  return { nameVi: `${t.nameVi} (${parent.nameVi})`.normalize("NFC"), nameEn: `${t.nameEn} (${parent.nameEn ?? parent.nameVi})` };
}

export function provinceDepartmentName(t: DepartmentTemplate, parent: { nameVi: string; shortName: string | null }) {
  return {
    nameVi: `${t.nameVi} ${inlineProvinceName(parent.nameVi)}`.normalize("NFC"),
    nameEn: `${t.nameEn}, ${parent.shortName ?? parent.nameVi}`,
  };
}
