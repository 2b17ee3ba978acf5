/*
 * ui_sizes.h: the screens Guanai supports (README, "Screens"), each with
 * the diagonal of the panel it usually comes on.  The layout walk and
 * every scripted UI test go through this one table: a new size is a row.
 */
#ifndef GU_UI_SIZES_H
#define GU_UI_SIZES_H

static const struct ui_size {
	int w, h;
	float inch;
	const char *tag;
} ui_sizes[] = {
    {1024, 600, 7, "1024x600"}, /* the base size: cheap 7" panels */
    {1280, 800, 10.1f, "1280x800"},
    {1920, 1080, 15.6f, "1920x1080"},
    {600, 1024, 7, "600x1024"},
    {800, 1280, 10.1f, "800x1280"},
};
#define UI_NSIZES (sizeof(ui_sizes) / sizeof(ui_sizes[0]))

#endif
