export { Callout, Figure, LawRef, MdxImage, MdxLink, SelfCheck, Step, Steps, Term, mdxComponents } from "./components";
export { MdxContext, assetUrl, isLessonLink, mdxLabels, resolveHref, useMdx, type MdxContextValue, type MdxLabels } from "./context";
export { enhanceMdx } from "./enhance";
export { LessonBody, type LessonBodyProps } from "./LessonBody";
