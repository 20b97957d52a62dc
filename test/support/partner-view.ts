/**
 * D40: what a partner reads of a case's internal parts — who handles it and how — is nothing:
 * null, empty lists and escalation level 0, whatever the staff did.
 */
export const INTERNAL_PARTS_HIDDEN = {
  firstResponder: null,
  handlingUnit: null,
  assignments: [],
  investigations: [],
  responsibility: null,
  callbacks: [],
  supervisionNotes: [],
  escalationLevel: 0,
} as const;
