//! Parser tests: synthetic fixtures with expected output, and the shared seed and corpus
//! (read from `../shared` when it is there).

mod fixtures;
mod score;
mod shared;
