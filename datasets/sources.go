package datasets

// Unpack says what Fetch does with a downloaded file.
type Unpack int

const (
	// Keep stores the file at Source.Path.
	Keep Unpack = iota
	// UnpackIMDB extracts the reviews of aclImdb_v1.tar.gz
	// (aclImdb/{train,test}/{pos,neg}/*.txt, aclImdb/train/unsup/*.txt and
	// aclImdb/README) into destDir/aclImdb, the layout LoadIMDB reads, and
	// then deletes the archive.
	UnpackIMDB
)

// Source is one public file Fetch downloads.
type Source struct {
	Dataset string // the data folder it belongs to, e.g. "word-similarity"
	URL     string
	SHA256  string // hex sha256 of the downloaded bytes
	Size    int64  // bytes
	Path    string // destination relative to the data directory, slash-separated
	Unpack  Unpack
}

// Repositories and commits the files come from; see each folder's SOURCE.md
// in the shared data copy.
const (
	// MT2ST reference repository, the 13 lists under en/.
	similarityBase = "https://raw.githubusercontent.com/NoakLiu/MT2ST-Adaptive-Multi-Task-to-Single-Task-Learning/3d7ad30b8df3fa95fd00b2d6d0250836dc99a06c/en/"
	analogyBase    = "https://raw.githubusercontent.com/tmikolov/word2vec/20c129af10659f7c50e86e3be406df663beff438/"
	// Commit 15d613d8 of UD_English-EWT has the .conllu files of tag r2.16
	// (UD v2.16) byte for byte; a commit cannot move, a tag can.
	udBase = "https://raw.githubusercontent.com/UniversalDependencies/UD_English-EWT/15d613d8447b3478787d4c278730a1e48a945efb/"
	rtBase = "https://raw.githubusercontent.com/yoonkim/CNN_sentence/23e0e1f7355705bb083043fda05c031b15acb38c/"
)

// DefaultSources returns the public originals of every data folder: the
// files of the shared data copy, except that IMDB comes as the original
// Stanford tarball (extracted to aclImdb/) and UD train uncompressed.
func DefaultSources() []Source {
	sim := func(file, sha string, size int64) Source {
		return Source{Dataset: "word-similarity", URL: similarityBase + file, SHA256: sha, Size: size, Path: "word-similarity/" + file}
	}
	ud := func(file, sha string, size int64) Source {
		return Source{Dataset: "ud-english-ewt", URL: udBase + file, SHA256: sha, Size: size, Path: "ud-english-ewt/" + file}
	}
	rt := func(file, sha string, size int64) Source {
		return Source{Dataset: "rt-polarity", URL: rtBase + file, SHA256: sha, Size: size, Path: "rt-polarity/" + file}
	}
	return []Source{
		// sha256 values: word-similarity/SOURCE.md.
		sim("EN-MC-30.txt", "33ee05911496ff83d95cac351d0746c6f63b9181b605cb7d307f4daa8864511b", 543),
		sim("EN-MEN-TR-3k.txt", "3df21751d8f69d51619ec62251c045da70815f3fad27736db7c1fc99ff3bfacf", 53593),
		sim("EN-MTurk-287.txt", "a9ae3a9decb75a9700fe0cf18b048c1344774d9f40e0196baf8e34d4cd9d1ce5", 7218),
		sim("EN-MTurk-771.txt", "7b9c566bdb6f82074337c8ab7cedf684eb06e1c33263107df5169fa1cd045988", 18858),
		sim("EN-RG-65.txt", "c243f3a91c3f5d8cf67f21a67f6fb80bde8b6bb060851a6a48e6f2d68ec98c9f", 1210),
		sim("EN-RW-STANFORD.txt", "5108d54dfc746f44f9c3d7e31d2857c37cf71430bc1594175a61a3b89bb0ae1f", 49851),
		sim("EN-SIMLEX-999.txt", "405394ffb7d25f6d0e3c041f87c9f27d29dc6b047506769953e85c4523b11685", 18024),
		sim("EN-SimVerb-3500.txt", "c31adf2ee2954b144117a17f37c19eeeaf8e470b29980168d8f7a816dd1c4386", 61816),
		sim("EN-VERB-143.txt", "37bf50e1f8ccdddbacbc49ff12a4be26820e8d666aa966b698eabd40901821db", 3176),
		sim("EN-WS-353-ALL.txt", "7968d0b0f8851fd1932c0aa998482f12396761774769450b290f142f52942b8c", 7052),
		sim("EN-WS-353-REL.txt", "66a7c88100624d0a391605ff61ce84e11d11ee620d51ec0298da49592838f8fa", 5134),
		sim("EN-WS-353-SIM.txt", "f1da938998863c94e53f72f984a5c6e215f0b46c323aae8f0f4930703a339107", 4002),
		sim("EN-YP-130.txt", "4b963f0771ba8cf1d378de8cd43387c31eae34a5e57e2de3685c53fc2cdd9a73", 2614),
		// analogy/SOURCE.md.
		{Dataset: "analogy", URL: analogyBase + "questions-words.txt", Path: "analogy/questions-words.txt",
			SHA256: "8c29b3332afc46f3fb8be04cb5297bf96f39aa7131272dff57869b4485b22a36", Size: 603955},
		// ud-english-ewt/SOURCE.md (train: the sha256 "after gunzip").
		ud("en_ewt-ud-train.conllu", "3fb78e2b55482c8ee00caa653af436c88c9e5bc9a73ce26e4ae3ddc79d2b7e7b", 14203025),
		ud("en_ewt-ud-dev.conllu", "531a54ff90d6ab12201c5a50c3e78e6ddac4de69abc4bce5d275d3cd29efe2b6", 1805545),
		ud("en_ewt-ud-test.conllu", "e266e515a0a7547657ed3d90d9ba46487d6bd251f27ad4269d4e8a427c8555cd", 1804515),
		ud("LICENSE.txt", "b3d1b0f4c6ae151f7eb78738f46ebd5ee140f8a7f76501ba26af123140d35ae7", 20014),
		// rt-polarity/SOURCE.md.
		rt("rt-polarity.pos", "2da124ec187a9d5a29c9f04e91c540e02baed5af8868f550a26bd6fd4dbf8bf0", 626139),
		rt("rt-polarity.neg", "4ace77d558c3714723843f1d65b60c01e3417b208180f0728808d76ad0eeeaca", 612256),
		// Size and sha256 as listed by TensorFlow Datasets: repository
		// tensorflow/datasets, commit 90b66237ad09c9e5b9b1bc61b646db7b1fb0713c,
		// tensorflow_datasets/datasets/imdb_reviews/checksums.tsv. (Not checked
		// here: this machine cannot reach ai.stanford.edu.)
		{Dataset: "imdb", URL: "http://ai.stanford.edu/~amaas/data/sentiment/aclImdb_v1.tar.gz", Path: ".downloads/aclImdb_v1.tar.gz",
			SHA256: "c40f74a18d3b61f90feba1e17730e0d38e8b97c05fde7008942e91923d1658fe", Size: 84125825, Unpack: UnpackIMDB},
	}
}
