/** The seed of the committed cohort in test-data/. */
export const COMMITTED_SEED = 'her2cn test-data v1';
