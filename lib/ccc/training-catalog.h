/*
 * training-catalog.h: the course and skill catalogues (migration 14).
 *
 * The planner knows a course or a skill by its slot, a bit of a 32-bit set;
 * the catalogue maps names to slots. The process holds one catalogue: the
 * shipped entries (the four courses and ten skills of the fixed lists, at
 * their slots) until training_catalog_load reads a store's. Names are
 * lowercase letters, digits and '_', starting with a letter, at most 39
 * bytes ("refresher_2026"). Store functions print the reason of a failure
 * and return an exit code.
 */
#ifndef CCC_TRAINING_CATALOG_H
#define CCC_TRAINING_CATALOG_H

#include <stddef.h>

#include <jv.h>

#include "ccc/rerun.h"
#include "ccc/store.h"

#define TRAINING_SLOTS    32
#define TRAINING_NAME_MAX 40

struct training_entry {
	char name[TRAINING_NAME_MAX]; /* "" for a free slot */
	char title[128];
	int valid_months; /* courses: how long a passed session lasts */
	char kinds[32];   /* courses: the teams that need it: "irt", "imest,irt", "" */
};

/* Read the catalogues of s into the process's. 0, or an exit code. */
int training_catalog_load(struct store *s);

/* The slot of a course or skill name, -1 for none; the name of a slot,
 * "?" for a free one; the entry of a slot (NULL for a free one). */
int training_course_slot(const char *name);
int training_skill_slot(const char *name);
const char *training_course_name(int slot);
const char *training_skill_name(int slot);
const struct training_entry *training_course(int slot);
/* The names in use, comma-separated, for messages. */
const char *training_course_names(void);
const char *training_skill_names(void);
/* The courses a kind of team ("irt", "imest") needs, as a set of slots. */
unsigned training_courses_for(const char *kind);

/* 1 when name is a catalogue name (see above). Pure. */
int training_valid_name(const char *name);
/* "24m", "2y" (or "18": months) as months, 1 to 600; -1 otherwise. Pure. */
int training_parse_months(const char *s);
/* "irt,imest" checked and sorted into out ("imest,irt"); 0, or -1 for a
 * kind that is not irt or imest. NULL or "" gives "". Pure. */
int training_parse_kinds(const char *s, char *out, size_t n);

/*
 * Add course name (valid: months; title and kinds may be NULL), or with it
 * in the catalogue change what is given; *out the entry as a record. 0; a
 * rerun with the same values changes nothing (again->done). 64 (why) for a
 * bad value, 65 when the catalogue is full.
 */
int training_course_put(struct store *s, const char *name, int valid_months, const char *title,
			const char *kinds, jv *out, struct rerun *again, char *why, size_t wn);
/* The same for a skill (a title only). */
int training_skill_put(struct store *s, const char *name, const char *title, jv *out,
		       struct rerun *again, char *why, size_t wn);
/* Remove a course or skill: 66 when there is none, 65 when a staff record,
 * a trainee or a session still names it. */
int training_course_remove(struct store *s, const char *name);
int training_skill_remove(struct store *s, const char *name);
/* The catalogue as records {"type":"course"|"skill", "name", "slot", ...}. */
int training_course_list(struct store *s, jv *out);
int training_skill_list(struct store *s, jv *out);

#endif
