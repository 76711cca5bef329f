"""Operations pages: the background jobs, for the organiser admin."""
