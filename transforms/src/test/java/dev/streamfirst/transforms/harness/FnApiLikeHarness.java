package dev.streamfirst.transforms.harness;

import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.runners.TransformHierarchy;
import org.apache.beam.sdk.state.BagState;
import org.apache.beam.sdk.state.ReadableState;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.state.Timer;
import org.apache.beam.sdk.state.TimerSpec;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.apache.beam.sdk.util.SerializableUtils;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TupleTag;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Runs one key of a stateful {@link DoFn} with the event-time facts the Fn API harness (Dataflow
 * Runner v2, portable runners) gives it: {@link Timer#getCurrentRelativeTime()} of an event-time
 * timer is the element's timestamp in {@code @ProcessElement} and the firing time in
 * {@code @OnTimer}, never the input watermark. Event-time timers fire in time order as the
 * watermark is advanced; processing-time timers never fire. {@link #outputWatermark()} is what a
 * step downstream may judge lateness by: the input watermark, held back by the output timestamps of
 * pending timers.
 *
 * <p>Only what the project's DoFns use is supported: value and bag state, timers, the element, its
 * timestamp and key, output receivers and the timer context.
 */
public final class FnApiLikeHarness {
  /** One output: its tag ({@code null} for the main output), value and the watermark then. */
  public record Output(String tag, Object value, Instant outputWatermark) {}

  private static final int MAX_FIRINGS = 10_000;

  private final DoFn<?, ?> fn;
  private final Map<String, TimeDomain> timerDomains = new HashMap<>();

  /** State and timers are per key, as on a runner. */
  private final Map<List<Object>, Object> states = new HashMap<>();

  private final Map<List<Object>, Pending> timers = new HashMap<>();
  private final List<Output> outputs = new ArrayList<>();
  private final Map<String, Object> sideInputs = new HashMap<>();
  private Instant inputWatermark = BoundedWindow.TIMESTAMP_MIN_VALUE;
  private Object key;
  private int firings;
  private long bagAdds;

  private record Pending(TimeDomain domain, Instant target, Instant hold) {}

  private FnApiLikeHarness(DoFn<?, ?> fn) {
    this.fn = SerializableUtils.clone(fn);
    for (Class<?> c = this.fn.getClass(); c != null; c = c.getSuperclass()) {
      for (Field f : c.getDeclaredFields()) {
        DoFn.TimerId id = f.getAnnotation(DoFn.TimerId.class);
        if (id != null) {
          f.setAccessible(true);
          try {
            timerDomains.put(id.value(), ((TimerSpec) f.get(this.fn)).getTimeDomain());
          } catch (IllegalAccessException e) {
            throw new AssertionError(e);
          }
        }
      }
    }
  }

  /** A harness for the DoFn of the ParDo step whose full name ends with {@code stepName}. */
  public static FnApiLikeHarness ofStep(Pipeline pipeline, String stepName) {
    List<DoFn<?, ?>> found = new ArrayList<>();
    pipeline.traverseTopologically(
        new Pipeline.PipelineVisitor.Defaults() {
          @Override
          public CompositeBehavior enterCompositeTransform(TransformHierarchy.Node node) {
            collect(node);
            return CompositeBehavior.ENTER_TRANSFORM;
          }

          @Override
          public void visitPrimitiveTransform(TransformHierarchy.Node node) {
            collect(node);
          }

          private void collect(TransformHierarchy.Node node) {
            PTransform<?, ?> t = node.getTransform();
            if (t instanceof ParDo.MultiOutput<?, ?> m
                && node.getFullName().endsWith(stepName)
                && found.isEmpty()) {
              found.add(m.getFn());
            } else if (t instanceof ParDo.SingleOutput<?, ?> s
                && node.getFullName().endsWith(stepName)
                && found.isEmpty()) {
              found.add(s.getFn());
            }
          }
        });
    if (found.isEmpty()) {
      throw new AssertionError("no ParDo step named " + stepName);
    }
    return new FnApiLikeHarness(found.get(0));
  }

  /** Gives the value of the side input that the DoFn reads as {@code @SideInput(tag)}. */
  public FnApiLikeHarness withSideInput(String tag, Object value) {
    sideInputs.put(tag, value);
    return this;
  }

  /** Processes one keyed element, the relative time of its timers being its timestamp. */
  public void process(KV<?, ?> element, Instant timestamp) {
    key = element.getKey();
    invoke(find(DoFn.ProcessElement.class, null), element, timestamp, timestamp, null);
  }

  /** Processes one element of a DoFn whose input is not keyed. */
  public void processUnkeyed(Object element, Instant timestamp) {
    key = null;
    invoke(find(DoFn.ProcessElement.class, null), element, timestamp, timestamp, null);
  }

  /** Moves the input watermark and fires every event-time timer it passes, in time order. */
  public void advanceWatermarkTo(Instant watermark) {
    inputWatermark = watermark;
    while (true) {
      Map.Entry<List<Object>, Pending> next = null;
      for (Map.Entry<List<Object>, Pending> e : timers.entrySet()) {
        Pending t = e.getValue();
        if (t.domain() == TimeDomain.EVENT_TIME
            && !t.target().isAfter(watermark)
            && (next == null || t.target().isBefore(next.getValue().target()))) {
          next = e;
        }
      }
      if (next == null) {
        return;
      }
      if (++firings > MAX_FIRINGS) {
        throw new AssertionError("more than " + MAX_FIRINGS + " timer firings: a timer loop");
      }
      key = next.getKey().get(0);
      String id = (String) next.getKey().get(1);
      Pending fired = timers.remove(next.getKey());
      invoke(find(DoFn.OnTimer.class, id), null, fired.hold(), fired.target(), fired.target());
    }
  }

  /** The input watermark held back by pending timers' output timestamps. */
  public Instant outputWatermark() {
    Instant w = inputWatermark;
    for (Pending t : timers.values()) {
      if (t.hold() != null && t.hold().isBefore(w)) {
        w = t.hold();
      }
    }
    return w;
  }

  public List<Output> outputs() {
    return outputs;
  }

  /** How many values have been added to bag states so far: what state writes cost. */
  public long bagAdds() {
    return bagAdds;
  }

  /** What a key holds in a state: a value state's value, a bag's items, null when empty. */
  public Object state(Object key, String id) {
    Object state = states.get(Arrays.asList(key, id));
    if (state instanceof ValueState<?> v) {
      return v.read();
    }
    if (state instanceof BagState<?> b) {
      List<Object> items = new ArrayList<>();
      b.read().forEach(items::add);
      return items.isEmpty() ? null : items;
    }
    return null;
  }

  /** How many timers are set. */
  public int pendingTimers() {
    return timers.size();
  }

  /** How many timers have fired so far. */
  public int firings() {
    return firings;
  }

  private Method find(Class<? extends java.lang.annotation.Annotation> kind, String timerId) {
    for (Class<?> c = fn.getClass(); c != null; c = c.getSuperclass()) {
      for (Method m : c.getDeclaredMethods()) {
        if (kind == DoFn.ProcessElement.class && m.isAnnotationPresent(DoFn.ProcessElement.class)) {
          return m;
        }
        DoFn.OnTimer onTimer = m.getAnnotation(DoFn.OnTimer.class);
        if (kind == DoFn.OnTimer.class && onTimer != null && onTimer.value().equals(timerId)) {
          return m;
        }
      }
    }
    throw new AssertionError("no " + kind.getSimpleName() + " " + timerId + " in " + fn);
  }

  private void invoke(
      Method method, Object element, Instant timestamp, Instant relativeTime, Instant fireTime) {
    Parameter[] parameters = method.getParameters();
    Object[] args = new Object[parameters.length];
    for (int i = 0; i < parameters.length; i++) {
      args[i] = argument(parameters[i], element, timestamp, relativeTime, fireTime);
    }
    method.setAccessible(true);
    try {
      method.invoke(fn, args);
    } catch (InvocationTargetException e) {
      throw new AssertionError(method.getName() + " failed: " + e.getCause(), e.getCause());
    } catch (IllegalAccessException e) {
      throw new AssertionError(e);
    }
  }

  private Object argument(
      Parameter p, Object element, Instant timestamp, Instant relativeTime, Instant fireTime) {
    if (p.isAnnotationPresent(DoFn.Element.class)) {
      return element;
    }
    if (p.isAnnotationPresent(DoFn.Timestamp.class)) {
      return timestamp;
    }
    if (p.isAnnotationPresent(DoFn.Key.class)) {
      return key;
    }
    DoFn.SideInput sideInput = p.getAnnotation(DoFn.SideInput.class);
    if (sideInput != null) {
      if (!sideInputs.containsKey(sideInput.value())) {
        throw new AssertionError("no value given for side input " + sideInput.value());
      }
      return sideInputs.get(sideInput.value());
    }
    DoFn.TimerId timerId = p.getAnnotation(DoFn.TimerId.class);
    if (timerId != null) {
      return new HarnessTimer(timerId.value(), timestamp, relativeTime);
    }
    DoFn.StateId stateId = p.getAnnotation(DoFn.StateId.class);
    if (stateId != null) {
      return states.computeIfAbsent(
          Arrays.asList(key, stateId.value()), id -> newState(p.getType()));
    }
    Class<?> type = p.getType();
    if (type == DoFn.MultiOutputReceiver.class) {
      return new DoFn.MultiOutputReceiver() {
        @Override
        public <T> DoFn.OutputReceiver<T> get(TupleTag<T> tag) {
          return receiver(tag.getId());
        }

        @Override
        public <T> DoFn.OutputReceiver<Row> getRowReceiver(TupleTag<T> tag) {
          throw new UnsupportedOperationException("rows");
        }
      };
    }
    if (type == DoFn.OutputReceiver.class) {
      return receiver(null);
    }
    if (type == DoFn.OnTimerContext.class) {
      return timerContext(timestamp, fireTime);
    }
    if (type == BoundedWindow.class) {
      return GlobalWindow.INSTANCE;
    }
    if (type == PaneInfo.class) {
      return PaneInfo.NO_FIRING;
    }
    throw new AssertionError("unsupported parameter " + p);
  }

  private <T> DoFn.OutputReceiver<T> receiver(String tag) {
    return new DoFn.OutputReceiver<T>() {
      @Override
      public void output(T value) {
        outputs.add(new Output(tag, value, outputWatermark()));
      }

      @Override
      public void outputWithTimestamp(T value, Instant timestamp) {
        output(value);
      }
    };
  }

  @SuppressWarnings({"rawtypes", "unchecked"})
  private DoFn.OnTimerContext timerContext(Instant timestamp, Instant fireTime) {
    DoFn raw = fn;
    return raw.new OnTimerContext() {
      @Override
      public Instant timestamp() {
        return timestamp;
      }

      @Override
      public Instant fireTimestamp() {
        return fireTime;
      }

      @Override
      public BoundedWindow window() {
        return GlobalWindow.INSTANCE;
      }

      @Override
      public TimeDomain timeDomain() {
        return TimeDomain.EVENT_TIME;
      }

      @Override
      public PipelineOptions getPipelineOptions() {
        return PipelineOptionsFactory.create();
      }

      @Override
      public void output(Object output) {
        outputs.add(new Output(null, output, outputWatermark()));
      }

      @Override
      public void outputWithTimestamp(Object output, Instant ts) {
        output(output);
      }

      @Override
      public void outputWindowedValue(
          Object output, Instant ts, Collection windows, PaneInfo paneInfo) {
        output(output);
      }

      @Override
      public void output(TupleTag tag, Object output) {
        outputs.add(new Output(tag.getId(), output, outputWatermark()));
      }

      @Override
      public void outputWithTimestamp(TupleTag tag, Object output, Instant ts) {
        output(tag, output);
      }

      @Override
      public void outputWindowedValue(
          TupleTag tag, Object output, Instant ts, Collection windows, PaneInfo paneInfo) {
        output(tag, output);
      }
    };
  }

  private Object newState(Class<?> type) {
    if (type == ValueState.class) {
      return new ValueState<Object>() {
        private Object value;

        @Override
        public void write(Object v) {
          value = v;
        }

        @Override
        public Object read() {
          return value;
        }

        @Override
        public ValueState<Object> readLater() {
          return this;
        }

        @Override
        public void clear() {
          value = null;
        }
      };
    }
    if (type == BagState.class) {
      return new BagState<Object>() {
        private final List<Object> items = new ArrayList<>();

        @Override
        public Iterable<Object> read() {
          return new ArrayList<>(items);
        }

        @Override
        public BagState<Object> readLater() {
          return this;
        }

        @Override
        public void add(Object v) {
          bagAdds++;
          items.add(v);
        }

        @Override
        public ReadableState<Boolean> isEmpty() {
          boolean empty = items.isEmpty();
          return new ReadableState<Boolean>() {
            @Override
            public Boolean read() {
              return empty;
            }

            @Override
            public ReadableState<Boolean> readLater() {
              return this;
            }
          };
        }

        @Override
        public void clear() {
          items.clear();
        }
      };
    }
    throw new AssertionError("unsupported state " + type);
  }

  /** A timer as the Fn API harness hands it out: its relative time is not the watermark. */
  private final class HarnessTimer implements Timer {
    private final String id;
    private final Instant inputTimestamp;
    private final Instant relativeTime;
    private Instant outputTimestamp;
    private boolean noOutputTimestamp;
    private Duration offset = Duration.ZERO;

    HarnessTimer(String id, Instant inputTimestamp, Instant relativeTime) {
      this.id = id;
      this.inputTimestamp = inputTimestamp;
      this.relativeTime = relativeTime;
    }

    private TimeDomain domain() {
      return timerDomains.get(id);
    }

    @Override
    public void set(Instant target) {
      Instant hold;
      if (noOutputTimestamp) {
        hold = null;
      } else if (outputTimestamp != null) {
        hold = outputTimestamp;
      } else {
        hold = domain() == TimeDomain.EVENT_TIME ? target : inputTimestamp;
      }
      // The rules Beam's runners enforce.
      if (hold != null && inputTimestamp != null && hold.isBefore(inputTimestamp)) {
        throw new IllegalArgumentException(
            "timer " + id + ": output timestamp " + hold + " before the input's " + inputTimestamp);
      }
      if (domain() == TimeDomain.EVENT_TIME && hold != null && hold.isAfter(target)) {
        throw new IllegalArgumentException(
            "timer " + id + ": output timestamp " + hold + " after its firing time " + target);
      }
      if (target.isAfter(GlobalWindow.INSTANCE.maxTimestamp())) {
        throw new IllegalArgumentException("timer " + id + " set after the window's end");
      }
      timers.put(Arrays.asList(key, id), new Pending(domain(), target, hold));
    }

    @Override
    public void setRelative() {
      set(getCurrentRelativeTime().plus(offset));
    }

    @Override
    public void clear() {
      timers.remove(Arrays.asList(key, id));
    }

    @Override
    public Timer offset(Duration offset) {
      this.offset = offset;
      return this;
    }

    @Override
    public Timer align(Duration period) {
      throw new UnsupportedOperationException("align");
    }

    @Override
    public Timer withOutputTimestamp(Instant outputTime) {
      this.outputTimestamp = outputTime;
      return this;
    }

    @Override
    public Timer withNoOutputTimestamp() {
      this.noOutputTimestamp = true;
      return this;
    }

    @Override
    public Instant getCurrentRelativeTime() {
      return domain() == TimeDomain.EVENT_TIME ? relativeTime : Instant.now();
    }
  }
}
