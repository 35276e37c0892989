"""Table models backed by the register: ids plus a row cache filled in the background."""
