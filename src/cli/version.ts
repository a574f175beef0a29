/** The program's version, as package.json says (checked by a test). */
export const VERSION = '0.1.0';
