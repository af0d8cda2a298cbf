// The matching engine is written on the main branch. Package.swift already declares this
// target, so the accounts branch keeps one empty file here to build; delete it on merge.
