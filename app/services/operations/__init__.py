"""Operations: the background job runner, the list of jobs, and what the admin sees of them."""
