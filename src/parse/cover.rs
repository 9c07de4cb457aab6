//! cover (in progress)
