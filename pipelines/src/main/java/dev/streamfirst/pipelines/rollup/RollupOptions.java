package dev.streamfirst.pipelines.rollup;

import dev.streamfirst.pipelines.options.DedupOptions;
import dev.streamfirst.pipelines.options.EnrichOptions;
import dev.streamfirst.pipelines.options.EventFieldOptions;
import dev.streamfirst.pipelines.options.SinkOptions;
import dev.streamfirst.pipelines.options.SourceOptions;
import dev.streamfirst.pipelines.options.TriggerOptions;
import dev.streamfirst.pipelines.options.WindowOptions;

/**
 * Options of the rollup pipeline: source, sinks, event fields, windowing, triggers and dedup, and
 * optional reference data ({@code --reference}) whose fields are added to each row of its key.
 */
public interface RollupOptions
    extends SourceOptions,
        SinkOptions,
        EventFieldOptions,
        WindowOptions,
        TriggerOptions,
        DedupOptions,
        EnrichOptions {}
