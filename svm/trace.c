// SPDX-License-Identifier: GPL-2.0
/*
 * svmhv's tracepoints, defined once here; trace.h declares them for the
 * files that fire them.
 */
#define CREATE_TRACE_POINTS
#include "trace.h"
