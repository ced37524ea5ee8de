"""The learned systems' parts: word clusters, gazetteer and document votes, whole-quotation decoding, speaker
candidates, the stance classifier's features, and the ``learned`` system trained on fixed documents."""
from __future__ import annotations

import gzip

import pytest
from systems_docs import TRAIN, doc

from aqwal.benchmark.systems.clusters import clusters, read_table, word_key
from aqwal.benchmark.systems.features import Gazetteer, document_votes, jackknife_gazetteers
from aqwal.benchmark.systems.learned import LearnedSystem
from aqwal.benchmark.systems.protocol import Mode, check_record, training_hash, view
from aqwal.benchmark.systems.quotations import SUBJECT, CueRates, SpeakerLinker, bio_entities_merged, tagger_features
from aqwal.benchmark.systems.rules import Text
from aqwal.benchmark.systems.stance_model import StanceClassifier, pair_features, quote_features
from aqwal.benchmark.systems.store import read_meta
from aqwal.benchmark.systems.vectors import build
from aqwal.corpus.arabic import normalise as fold
from aqwal.corpus.errors import ConfigError, FormatError
from aqwal.corpus.jsonl import write_json_lines
from aqwal.corpus.tokens import tokenize


def test_committed_cluster_table_groups_words_of_a_kind():
    reps = clusters()
    assert reps.levels == ("c64", "c256", "c1024", "c4096") and len(reps.table) > 50_000
    assert reps.lookup("فكبيروت") == reps.lookup("بيروت") is not None  # proclitics stripped when unseen
    assert reps.lookup("بيروت")[1] == reps.lookup("دمشق")[1]  # two capitals share a cluster (of 256)
    assert reps.lookup("xqzzy") is None and reps.features("xqzzy") == {"c": "unseen"}
    assert word_key("٢٠١٥") == "0000" and list(reps.table)[:3] == ["،", "في", "."]  # most frequent first


def test_cluster_table_errors_name_the_file_and_the_fix(tmp_path):
    with pytest.raises(FormatError, match="no cluster table.*make vectors"):
        read_table(tmp_path / "missing.tsv.gz")
    bad = tmp_path / "bad.tsv.gz"
    with gzip.open(bad, "wt", encoding="utf-8") as f:
        f.write("word\tc2\tc4\nقال\t1\n")
    with pytest.raises(FormatError, match=r"bad.tsv.gz:2: 2 columns, the header has 3"):
        read_table(bad)


def test_vectors_build_is_deterministic(tmp_path):
    words = ["قال", "أكد", "الرئيس", "الوزير", "بيروت", "دمشق", "في", "إن", "الحكومة", "الجيش"]
    docs = [{"id": str(i), "text": " ".join(words[(i + k) % len(words)] for k in range(12)) + "."}
            for i in range(60)]
    write_json_lines(tmp_path / "docs.jsonl", docs)
    a, b = tmp_path / "a.tsv.gz", tmp_path / "b.tsv.gz"
    report = build(tmp_path / "docs.jsonl", a, levels=(2, 4), word2vec={"epochs": 2}, progress=False)
    build(tmp_path / "docs.jsonl", b, levels=(2, 4), word2vec={"epochs": 2}, progress=False)
    assert a.read_bytes() == b.read_bytes()
    table = read_table(a)
    assert report["words"] == len(table.table) == len(words) + 1  # and the full stop
    assert table.levels == ("c2", "c4") and {c[0] for c in table.table.values()} <= {"0", "1"}


def test_gazetteer_matches_longest_names_and_jackknife_leaves_a_fold_out():
    sents = [["زار", "فؤاد", "حسين", "بغداد"], ["وصل", "حسين", "إلى", "وبغداد"]]
    tags = [["O", "B-PER", "I-PER", "B-GPE"], ["O", "B-PER", "O", "B-GPE"]]
    gaz = Gazetteer.from_bio(sents, tags)
    assert gaz.tags(["قال", "فؤاد", "حسين", "في", "بغداد"]) == [None, "B-PER", "I-PER", None, "B-GPE"]
    assert gaz.words["حسين"] == "PER"
    held = jackknife_gazetteers(sents, tags, folds=2)
    assert ("فواد", "حسين") not in held[0].names and ("فواد", "حسين") in held[1].names  # folded keys


def test_document_votes_come_from_the_other_sentences_only():
    sents = [["وقال", "البدري"], ["عودة", "البدري"], ["البدري"]]
    first = [["O", "B-PER"], ["O", "O"], ["O"]]
    votes = document_votes(sents, first, [0, 0, 1])
    assert votes[0] == [{}, {}]  # its own tag does not vote
    assert votes[1][1] == {"doc:PER": True, "doc_n": 1}
    assert votes[2] == [{}]  # another document


def test_quotation_pieces_separated_by_punctuation_are_one_quotation():
    tokens = tokenize("قال إن الوضع صعب ، والحل قريب .")
    tags = ["B-CUE", "O", "B-QUOTE", "I-QUOTE", "O", "B-QUOTE", "I-QUOTE", "I-QUOTE", "O"]  # و + الحل
    assert [lab for _, _, lab in bio_entities_merged(tokens, tags)] == ["CUE", "QUOTE"]
    tags[4] = "B-CUE"
    assert [lab for _, _, lab in bio_entities_merged(tokens, tags)] == ["CUE", "QUOTE", "CUE", "QUOTE"]


def test_cue_rates_count_how_often_a_word_is_a_cue_and_feed_the_tagger():
    docs = [doc("c1", "وقال الوزير إن الخطة جاهزة. ثم قال المدير كلاما.", quotes=[("الخطة جاهزة", "قال", None, {})]),
            doc("c2", "وأكد الوزير أن الحل قريب.", quotes=[("الحل قريب", "أكد", None, {})])]
    rates = CueRates.from_documents(docs)
    assert rates.rates == {"قال": 0.5}  # وقال a cue, قال not; أكد seen once; الوزير never a cue
    assert rates.rate("فقال") == rates.rate("قال") == 0.5 and rates.rate("أكد") == 0.0
    feats = tagger_features(["وقال", "الوزير", "إن", "الخطة", ".", "جاهزة"], 0, rates)
    assert feats[0]["0:cue_rate"] == "3" and feats[1]["-1:cue_rate"] == "3" and "0:cue_rate" not in feats[1]
    assert [f["since_likely_cue"] for f in feats] == [0, 1, 2, 3, 4, 0]  # the count stops at the full stop
    assert "0:cue_rate" not in tagger_features(["وقال"], 0, CueRates({}))[0]


def test_training_documents_see_cue_rates_from_the_other_folds_only(monkeypatch):
    import aqwal.benchmark.systems.quotations as quotations
    from aqwal.benchmark.systems.crf import widen

    text = "وشدد الوزير على أن الخطة جاهزة. وشدد الحصار على المدينة."  # شدد: a cue once in two
    docs = [doc("d0", text, quotes=[("الخطة جاهزة", "شدد", None, {})])]
    docs += [doc(f"d{k}", "وقال المسؤول إن العمل مستمر.", quotes=[("العمل مستمر", "قال", None, {})]) for k in range(1, 5)]
    seen = []  # the cue rates each training paragraph is featurised with, in document order
    real = quotations.tagger_features
    monkeypatch.setattr(quotations, "tagger_features", lambda w, k, r: seen.append(r) or real(w, k, r))
    tagger = quotations.QuoteTagger()
    tagger.fit(docs, widen)
    assert len(seen) == 5 and quotations.CUE_FOLDS == 5  # one paragraph per document, each its own fold
    assert seen[0].rate("وشدد") == 0.0 and seen[0].rate("وقال") == 1.0  # d0's own cues are not counted for it
    assert all(r.rate("وشدد") == 0.5 and r.rate("وقال") == 1.0 for r in seen[1:])  # d0 is among their folds
    assert tagger.cue_rates.rate("وشدد") == 0.5  # new text gets the rates of every training document


def test_speaker_candidates_and_the_nearest_mention_of_a_name():
    text = "قال روي الكبيتس إن الجيش مستعد. وأكد الكبيتس أن الهجوم ممكن. وأضاف المرصد أن الغارات توقفت."
    t = Text(text)
    full = text.index("روي الكبيتس")
    entities = [(full, full + len("روي الكبيتس"), "PER")]
    cues = [(text.index("أكد"), text.index("أكد") + 3), (text.index("أضاف"), text.index("أضاف") + 4)]
    cands = SpeakerLinker.candidates(t, entities, [], cues)
    alone = text.index("الكبيتس", full + 5)
    assert (alone, alone + len("الكبيتس"), "PER") in cands  # the family name met alone
    assert (text.index("المرصد"), text.index("المرصد") + 6, SUBJECT) in cands  # the word after a cue
    quote_start = text.index("الهجوم")
    assert SpeakerLinker.nearest_mention(t, cands[0], cands, quote_start) == (alone, alone + len("الكبيتس"))


def test_linker_features_say_what_stands_after_the_cue():
    text = "التقى الرئيس برهم صالح الوفد. وقال الكاظمي إن الحوار مهم. وأضاف أن القوات ستغادر."
    t = Text(text)
    span = lambda w: (text.index(w), text.index(w) + len(w))
    barham, kadhimi = (*span("برهم صالح"), "PER"), (*span("الكاظمي"), "PER")
    said, added = span("قال"), span("أضاف")
    first, second = span("الحوار مهم"), span("القوات ستغادر")
    cands = SpeakerLinker.candidates(t, [barham, kadhimi], [], [said, added])
    feats = dict(SpeakerLinker.pair_features(t, first, said, cands, [first, second]))
    assert feats[kadhimi]["subject|where"] == "PER|cue<c<quote"  # وقال الكاظمي: the subject stands after the cue
    assert feats[barham]["subject|where|clitic"] == "PER|before-in-para|True"
    assert feats[kadhimi]["gap_after_cue|label"] == "0|PER" and feats[barham]["gap_before_cue"] == 2  # الوفد .
    feats = dict(SpeakerLinker.pair_features(t, second, added, cands, [first, second], previous=kadhimi[:2]))
    assert feats[kadhimi]["subject|where"] == "word|before-in-para"  # وأضاف أن: no subject after the cue
    assert feats[kadhimi]["previous|where|clitic"] == "True|before-in-para|True"
    assert feats[barham]["previous|where|clitic"] == "False|before-in-para|True"
    assert feats[barham]["rank|where|label"] == "1|before-in-para|PER"


def test_stance_features_see_the_overlap_of_quotation_and_target():
    near = pair_features("القوات الأجنبية ستغادر العراق قريبا", "وجود القوات الأجنبية في العراق", "t1")
    far = pair_features("الطقس حار اليوم", "وجود القوات الأجنبية في العراق", "t1")
    assert near["related"] == "rel" and near["shared"] == "3+" and "shared=قوات" in near
    assert far["related"] == "unrel" and far["shared"] == "0" and far["target=t1"] == 1.0
    model = StanceClassifier()
    model.fit([near, far], ["against", "neutral"])
    assert model.predict([near, far]) == ["against", "neutral"]
    single = StanceClassifier()
    single.fit([near], ["favor"])
    assert single.predict([far]) == ["favor"]


def test_stance_lexicon_hits_match_a_plain_scan_of_the_lexicon():
    from aqwal.benchmark.systems.lexicon import lexicon
    from aqwal.benchmark.systems.rules import lexicon_stance
    from aqwal.benchmark.systems.stance_model import NEGATIONS, _polarity
    from aqwal.corpus.model import Target
    from aqwal.corpus.arabic import bare

    def scan(text):  # every entry tried at every word, in the lexicon's order: the first that matches counts
        keys = [fold(t.text) for t in tokenize(text)]
        fav = ag = neg = 0
        for i, k in enumerate(keys):
            neg += k in NEGATIONS
            for phrase, lab in lexicon().stance.items():
                if tuple(keys[i:i + len(phrase)]) == phrase or (len(phrase) == 1 and bare(k) == bare(phrase[0])):
                    fav, ag = fav + (lab == "favor"), ag + (lab == "against")
                    break
        return fav, ag, neg

    texts = ["وأكد أن البلدين تجمعهما مصالح مشتركة وأنه يدعم الاتفاق", "العراق لم يعد بحاجة الى القوات الاجنبية",
             "وتدعم الحكومة الخطة ولا ترفض الحوار", "الطقس حار اليوم 🌞"]
    got = [_polarity(t) for t in texts]
    assert got == [scan(t) for t in texts]
    assert got[0][0] >= 2 and got[1][1] >= 1 and got[3] == (0, 0, 0)
    # the rule system reads the same hits: the sign of favor minus against, for a target sharing a word
    target = (Target("t1", "الاتفاق مع الحكومة والقوات الاجنبية"),)
    assert [lexicon_stance(t, target)[0][1] for t in texts[:2]] == ["favor", "against"]


@pytest.fixture(scope="module")
def trained() -> LearnedSystem:
    system = LearnedSystem()
    system.fit(TRAIN)
    return system


NEW = doc("new", "وقال الرئيس العراقي برهم صالح إن الحوار مع الولايات المتحدة مهم.\n"
          "وأضاف الكاظمي أن القوات الأجنبية ستغادر العراق قريبا.", targets=[("t1", "وجود القوات الأجنبية في العراق")])


def test_learned_system_finds_quotations_speakers_and_stance(trained):
    rec = trained.predict(view(NEW))
    check_record(view(NEW), rec, "test")
    got = [(NEW.text[q["start"]:q["end"]], NEW.text[q["speaker"]["start"]:q["speaker"]["end"]],
            [s["label"] for s in q["stance"]]) for q in rec["quotes"]]
    assert got == [("الحوار مع الولايات المتحدة مهم", "برهم صالح", ["favor"]),
                   ("القوات الأجنبية ستغادر العراق قريبا", "الكاظمي", ["against"])]
    assert trained.stats.speaker_pairs > 0 and trained.stats.stance_items == 5


def test_learned_system_leaves_out_a_quotation_whose_speaker_it_doubts(trained, monkeypatch):
    from aqwal.benchmark.systems import learned

    seen, link = [], trained.linker.link
    def recording(*args):
        speaker, probability = link(*args)
        seen.append(probability)
        return speaker, probability
    monkeypatch.setattr(trained.linker, "link", recording)
    contents = lambda: [NEW.text[q["start"]:q["end"]] for q in trained.predict(view(NEW))["quotes"]]
    everything = contents()
    assert len(everything) == len(seen) == 2 and all(0 < p < 1 for p in seen) and seen[0] != seen[1]
    monkeypatch.setattr(learned, "SPEAKER_MIN_PROBABILITY", sum(seen) / 2)  # between the two
    assert contents() == [everything[seen.index(max(seen[:2]))]]
    monkeypatch.setattr(learned, "SPEAKER_MIN_PROBABILITY", 1.0)
    assert contents() == []
    assert link(Text(NEW.text), (4, 10), None, [], []) == (None, 0.0)  # no candidate may speak it


def test_learned_stance_mode_and_save_load(trained, tmp_path):
    rec = trained.predict(view(TRAIN[1], Mode.STANCE))
    assert [(q["start"], q["end"]) for q in rec["quotes"]] == [(TRAIN[1].quotes[0].span.start,
                                                                 TRAIN[1].quotes[0].span.end)]
    trained.save(str(tmp_path / "m"))
    assert read_meta(tmp_path / "m")["train_sha256"] == training_hash(TRAIN)
    again = LearnedSystem()
    again.load(str(tmp_path / "m"))
    assert again.predict(view(NEW)) == trained.predict(view(NEW))
    with pytest.raises(ConfigError, match="not trained"):
        LearnedSystem().predict(view(NEW))


def test_stance_features_see_the_quotation_context_in_its_paragraph():
    text = "خبر أول.\nوقال الرئيس العراقي برهم صالح إن القوات الأجنبية ستغادر العراق قريبا وفق بيان رسمي اليوم.\nخبر آخر."
    s = text.index("القوات")
    e = text.index("قريبا") + len("قريبا")
    f = quote_features(text, (s, e), "وجود القوات الأجنبية في العراق", "t1", 4)
    before = {k[4:] for k in f if k.startswith("ctx=")}
    assert {fold(w) for w in ("قال", "برهم", "إن")} <= {w.lstrip("و") for w in before}
    assert fold("خبر") not in before  # the paragraph of the quotation only
    assert {k[5:] for k in f if k.startswith("actx=")} == {fold(w) for w in ("وفق", "بيان", "رسمي", "اليوم")}
    assert f["targets"] == "3+" and f["target=t1"] == 1.0
