package dev.streamfirst.runners.dataflow.offline;

import com.google.api.services.dataflow.model.DataflowPackage;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.runners.dataflow.options.DataflowPipelineOptions;
import org.apache.beam.runners.dataflow.util.PackageUtil.StagedFile;
import org.apache.beam.runners.dataflow.util.Stager;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * A Dataflow stager that uploads nothing: it names each file where the real stager would have put
 * it under {@code --stagingLocation}, so DataflowRunner can write a complete job spec without a
 * Google Cloud account. Used only for offline translation ({@link OfflineTranslation}).
 */
public final class NoUploadStager implements Stager {
  private final String stagingLocation;

  private NoUploadStager(String stagingLocation) {
    this.stagingLocation = stagingLocation.replaceAll("/+$", "");
  }

  /** How DataflowRunner creates its stager from {@code --stagerClass}. */
  public static NoUploadStager fromOptions(PipelineOptions options) {
    return new NoUploadStager(options.as(DataflowPipelineOptions.class).getStagingLocation());
  }

  @Override
  public List<DataflowPackage> stageFiles(List<StagedFile> files) {
    List<DataflowPackage> packages = new ArrayList<>();
    for (StagedFile file : files) {
      packages.add(packageAt(file.getDestination()));
    }
    return packages;
  }

  @Override
  public DataflowPackage stageToFile(byte[] bytes, String baseName) {
    return packageAt(baseName);
  }

  private DataflowPackage packageAt(String name) {
    return new DataflowPackage().setName(name).setLocation(stagingLocation + "/" + name);
  }
}
