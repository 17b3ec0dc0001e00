"""A whole mock interview: the session, follow-up questions, the job description, the
candidate's own questions, the summary and the thank-you email."""
