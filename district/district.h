/*
 * district.h: what guanai-district's parts share (docs/district.md).
 */
#ifndef GU_DISTRICT_H
#define GU_DISTRICT_H

#include <stdio.h>

#include "read.h"

/* guanai-district ingest (district/ingest.c) */
int cmd_ingest(int argc, char **argv);
/* guanai-district report (district/report.c) */
int cmd_report(int argc, char **argv);
/* guanai-district pack (district/pack.c) */
int cmd_pack(int argc, char **argv);
/* guanai-district ack (district/acks.c) */
int cmd_ack(int argc, char **argv);

/*
 * Loads the roster each school last sent (DIR/SCHOOL/children.csv and
 * staff.csv, district/roster.c) where it changed: *loaded schools
 * replaced, *refused kept as they were (their problems to err as
 * FILE:LINE: what).  GU_OK, GU_ENOTFOUND (no folder).
 */
struct db;
int droster_load(
    struct db *db, const char *dir, FILE *err, size_t *loaded, size_t *refused);

#endif
