/*
 * status.c: names and descriptions of the GU_* result codes.
 */
#include "status.h"

static const struct {
	const char *name;
	const char *desc;
} status_tab[GU_ESTATUS_MAX] = {
    [GU_OK] = {"GU_OK", "ok"},
    [GU_ENOMEM] = {"GU_ENOMEM", "out of memory"},
    [GU_EINVAL] = {"GU_EINVAL", "invalid input"},
    [GU_EIO] = {"GU_EIO", "input/output error"},
    [GU_ECORRUPT] = {"GU_ECORRUPT", "corrupt data"},
    [GU_EVERSION] = {"GU_EVERSION", "unknown format version"},
    [GU_EFULL] = {"GU_EFULL", "storage full"},
    [GU_ENOTFOUND] = {"GU_ENOTFOUND", "not found"},
    [GU_EEXIST] = {"GU_EEXIST", "already exists"},
    [GU_EBUSY] = {"GU_EBUSY", "busy"},
    [GU_EAUTH] = {"GU_EAUTH", "authentication failed"},
    [GU_ELOCKED] = {"GU_ELOCKED", "locked after too many wrong PINs"},
    [GU_ENET] = {"GU_ENET", "no network"},
    [GU_EUNREACH] = {"GU_EUNREACH", "server unreachable"},
    [GU_ESERVER] = {"GU_ESERVER", "server error"},
    [GU_EREFUSED] = {"GU_EREFUSED", "refused by the server"},
    [GU_ETOOBIG] = {"GU_ETOOBIG", "too big"},
    [GU_EPERM] = {"GU_EPERM", "not permitted"},
};

const char *
status_str(int rc)
{
	if (rc < 0 || rc >= GU_ESTATUS_MAX || status_tab[rc].desc == 0)
		return "unknown error";
	return status_tab[rc].desc;
}

const char *
status_name(int rc)
{
	if (rc < 0 || rc >= GU_ESTATUS_MAX || status_tab[rc].name == 0)
		return "GU_E?";
	return status_tab[rc].name;
}
