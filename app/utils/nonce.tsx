import { createContext, useContext } from "react";

const NonceContext = createContext<string>("");
export const NonceProvider = NonceContext.Provider;
/** The CSP nonce on the server; an empty string in the browser (browsers hide nonce values from the DOM). */
export const useNonce = () => useContext(NonceContext);
