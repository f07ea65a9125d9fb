package dev.streamfirst.pipelines.sensors;

import dev.streamfirst.pipelines.options.AlertOptions;
import dev.streamfirst.pipelines.options.DedupOptions;
import dev.streamfirst.pipelines.options.EventFieldOptions;
import dev.streamfirst.pipelines.options.SinkOptions;
import dev.streamfirst.pipelines.options.SourceOptions;
import dev.streamfirst.pipelines.options.TriggerOptions;
import dev.streamfirst.pipelines.options.WindowOptions;

/** Options of the sensors pipeline: source, sinks, fields, windows, triggers, dedup, alerts. */
public interface SensorsOptions
    extends SourceOptions,
        SinkOptions,
        EventFieldOptions,
        WindowOptions,
        TriggerOptions,
        DedupOptions,
        AlertOptions {}
