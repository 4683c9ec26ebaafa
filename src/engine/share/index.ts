// Share links: encode a project into a URL fragment and read one back as untrusted input.
export { canonicalJson, decodeShare, encodeShare, isShareFragment } from './codec.js';
export type { DecodeResult, EncodeResult, ShareEnvelope, ShareError, ShareErrorCode, ShareExtras } from './codec.js';
export { LINK_BUDGET_BYTES, MAX_FRAGMENT_CHARS, MAX_INFLATED_BYTES, SHARE_KEY, SHARE_VERSION, type SharedBestRun } from './envelope.js';
export { inflateCapped } from './inflate-capped.js';
export { decodeSharedWeights, encodeSharedWeights, sharedParamCount, SharedWeightsError, SHARED_WEIGHTS_VERSION, WEIGHT_LIMITS } from './weights.js';
