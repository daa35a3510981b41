// The CSAT survey page, opened by `/survey#<token>` (from the portal or the survey email).
// The token stays in the fragment and travels in the Survey-Token header.
import { define as defineSurvey } from './hd-survey.js';

defineSurvey();
window.addEventListener('hashchange', () => location.reload());
