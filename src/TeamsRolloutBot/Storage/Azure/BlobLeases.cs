using Azure;
using Azure.Storage.Blobs;

namespace TeamsRolloutBot.Storage.Azure;

/// <summary>What the blob-lease leadership and wave locks share: the blob each lease is taken on.</summary>
internal static class BlobLeases
{
    /// <summary>Creates an empty blob to lease when it does not exist yet (idempotent; a leased blob is left alone).</summary>
    public static async Task EnsureBlobAsync(BlobContainerClient container, string name, CancellationToken cancellationToken)
    {
        var blob = container.GetBlobClient(name);
        try
        {
            await blob.UploadAsync(BinaryData.Empty, overwrite: false, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            // Exists already.
        }
    }
}
