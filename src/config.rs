//! Configuration: defaults, lookup order, validation with file:line:column.
