//! Finding vector files and running them. (To be written: see issue 2.)
