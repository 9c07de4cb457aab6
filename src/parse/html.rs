//! html (in progress)
