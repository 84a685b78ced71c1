/** The issue context's one resolver call. */
import { invoke } from '@forge/bridge';
import { ISSUE_CONTEXT, type LoadIssueContextResult } from '../../../src/contract/issue-context';

export const loadIssueContext = async () => (await invoke(ISSUE_CONTEXT.load)) as LoadIssueContextResult;
