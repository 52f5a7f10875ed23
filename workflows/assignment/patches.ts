/**
 * Every behaviour change of the assignment workflow since its first release, as a patch id. A running
 * workflow keeps the behaviour it started with; once no workflow older than a patch is open, the old branch
 * can go (deprecatePatch first).
 */
export const PATCHES = {
  /** completedAt is the accepted submission's time instead of the approval time. */
  completedAtIsSubmissionTime: 'completed-at-is-submission-time',
} as const;
