// The matching engine's tests are written on the main branch; this keeps the declared
// test target buildable on the accounts branch. Delete it on merge.
