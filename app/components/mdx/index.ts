export { Callout, Figure, LawRef, MdxImage, MdxLink, SelfCheck, Step, Steps, Term, mdxComponents } from "./components";
export { MdxContext, assetUrl, mdxLabels, resolveHref, useMdx, type MdxContextValue, type MdxLabels } from "./context";
export { LessonBody, type LessonBodyProps } from "./LessonBody";
