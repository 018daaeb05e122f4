/** Where the demo collection lives, relative to the package root. */
export const DEMO_COLLECTION = 'src/demo/collection';
export const DEMO_RULES = `${DEMO_COLLECTION}/rules`;
export const DEMO_ART = `${DEMO_COLLECTION}/art`;
export const DEMO_MANIFEST = `${DEMO_COLLECTION}/demo.yml`;
