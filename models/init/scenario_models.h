/*
 * scenario_models.h - every model's part of the scenario format, registered
 * at start-up.
 *
 * scenario_models_init() registers the sections, timeline actions and
 * assertion kinds of every model (models/bfd today; BGP and the clouds
 * next) with the loader's process-wide registry (scenario_section.h), so
 * that `xcsim run`, `xcsim schema` and the reference page all see them.
 * The CLI calls it once before anything else; tests and fuzz targets that
 * load scenarios call it too. It is idempotent, and like the registry
 * itself not thread-safe: call it before loading any scenario.
 */
#ifndef XCSIM_SCENARIO_MODELS_H
#define XCSIM_SCENARIO_MODELS_H

void scenario_models_init(void);

#endif
