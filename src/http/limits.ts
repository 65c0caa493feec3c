/** The largest body of a form without files (and the largest text field of one with files). */
export const FORM_LIMIT_BYTES = 1024 * 1024
