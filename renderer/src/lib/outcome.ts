/** Outcomes in words, as a gateway would describe them, and the colour class each one uses. */
import type { Outcome } from '../api.js';

export const OUTCOME_WORDS: Record<Outcome, { title: string; meaning: string; tone: 'ok' | 'warn' | 'bad' }> =
  {
    continue: { title: 'Continue', meaning: 'the request goes on to the next step', tone: 'ok' },
    respond: { title: 'Respond', meaning: 'the handler answered the request itself', tone: 'ok' },
    reject: {
      title: 'Reject',
      meaning: 'the handler refused the request with an error status',
      tone: 'warn',
    },
    panic: { title: 'Panic', meaning: 'the handler panicked; a gateway would answer 500', tone: 'bad' },
    error: { title: 'Error', meaning: 'the handler returned a failure status', tone: 'bad' },
    abi_error: {
      title: 'ABI error',
      meaning: 'the handler output does not follow the plugin ABI',
      tone: 'bad',
    },
    crash: { title: 'Crash', meaning: 'the plugin process died during the call', tone: 'bad' },
    timeout: { title: 'Timeout', meaning: 'the call ran past its time limit and was killed', tone: 'bad' },
  };
