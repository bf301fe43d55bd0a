export * from "./org";
export * from "./auth";
export * from "./learning";
export * from "./assessments";
export * from "./certificates";
export * from "./reports";
export * from "./audit";
