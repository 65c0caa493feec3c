// Why the lifecycle says no, and the HTTP status each reason is answered with.
export type RefusalCode =
  | 'closed_only_reopen'
  | 'not_in_this_status'
  | 'not_for_this_actor'
  | 'top_of_ladder'
  | 'body_required'
  | 'reason_required'
  | 'note_required_for_other'
  | 'dispute_required'
  | 'duplicate_of_required'
  | 'duplicate_of_self'
  | 'amount_required'
  | 'amount_not_allowed'
  | 'dispute_window_over'
  | 'nothing_to_change'
  | 'held_by_colleague'
  | 'deadline_not_passed'
  | 'tag_required'
  | 'too_many_tags'
  | 'link_to_self'
  | 'already_linked'
  | 'not_linked'

export interface Refusal {
  ok: false
  code: RefusalCode
  /** 409 when the ticket's state forbids it, 422 when the input is incomplete, 403 for the actor. */
  httpStatus: 403 | 409 | 422
}

export function refuse(code: RefusalCode): Refusal {
  const httpStatus =
    code === 'not_for_this_actor' || code === 'held_by_colleague'
      ? 403
      : code === 'closed_only_reopen' ||
          code === 'not_in_this_status' ||
          code === 'top_of_ladder' ||
          code === 'dispute_required' ||
          code === 'dispute_window_over' ||
          code === 'nothing_to_change' ||
          code === 'deadline_not_passed' ||
          code === 'too_many_tags' ||
          code === 'already_linked' ||
          code === 'not_linked'
        ? 409
        : 422
  return { ok: false, code, httpStatus }
}
