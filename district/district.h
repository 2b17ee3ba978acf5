/*
 * district.h: what guanai-district's parts share (docs/district.md).
 */
#ifndef GU_DISTRICT_H
#define GU_DISTRICT_H

#include "read.h"

/* guanai-district ingest (district/ingest.c) */
int cmd_ingest(int argc, char **argv);
/* guanai-district report (district/report.c) */
int cmd_report(int argc, char **argv);
/* guanai-district ack (district/acks.c) */
int cmd_ack(int argc, char **argv);

#endif
