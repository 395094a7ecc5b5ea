// The written review page on a copy of the demo case, in process under Xvfb: a pathologist types into the pathology
// section and it is saved; a radiologist cannot change it; the draft compiles to the page bounds in the preview; the
// chair cannot finalize while a section is a draft, then finalizes, and the signed version is listed.
#include <gtest/gtest.h>

#include <QQmlEngine>
#include <QQuickItem>
#include <QQuickView>
#include <QTest>
#include <cstdlib>

#include "demo/demo_case.h"
#include "model/review.h"
#include "review_editor.h"
#include "store/review_repository.h"
#include "support.h"
#include "workstation.h"

using namespace consilium;

namespace {

struct Review : ::testing::Test {
    consilium::testing::TempDir dir;
    std::unique_ptr<app::Workstation> workstation;
    QString reference;

    void SetUp() override
    {
        if (!std::getenv("DISPLAY"))
            GTEST_SKIP() << "needs an X display (scripts/test.sh runs the suite under Xvfb)";
        const auto database = consilium::testing::copyOfDemoDatabase(dir.path());
        if (database.empty())
            GTEST_SKIP() << "the demo case fixture (CONSILIUM_DEMO_DB) is not there";
        workstation = std::make_unique<app::Workstation>(store::Database::open(database));
        const auto demoCase = demo::findDemoCase(workstation->database());
        ASSERT_TRUE(demoCase);
        reference = QString::fromStdString(demoCase->reference);
    }

    std::int64_t caseId() { return demo::findDemoCase(workstation->database())->id; }
};

}  // namespace

TEST_F(Review, PathologistWritesTheSectionAndTheDraftCompiles)
{
    ASSERT_TRUE(workstation->signIn("Dr Priya Raman", "pathologist").isEmpty());
    QQuickView page;
    page.setResizeMode(QQuickView::SizeRootObjectToView);
    page.setInitialProperties({{"reference", reference}});
    page.setSource(QUrl(QStringLiteral("qrc:/qt/qml/Consilium/ReviewPage.qml")));
    ASSERT_EQ(page.status(), QQuickView::Ready);
    page.resize(1600, 1000);
    page.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&page));
    QObject* root = page.rootObject();
    ASSERT_TRUE(QTest::qWaitFor([&] { return root->property("settled").toBool(); }, 60000));
    auto* editor = root->findChild<app::ReviewEditor*>();
    ASSERT_TRUE(editor);
    const QString note = editor->previewNote();
    EXPECT_TRUE(note.startsWith("Draft")) << "the demo review compiles within the page bounds: " << note.toStdString();
    if (const char* folder = std::getenv("CONSILIUM_SCREENSHOTS_OUT"))
        page.grabWindow().save(QString::fromUtf8(folder) + "/review-page.png");

    // Type at the end of the pathology section's text: saved by itself a moment later.
    QQuickItem* body = nullptr;
    std::vector<QQuickItem*> pending{root->property("contentItem").value<QQuickItem*>()};
    while (!pending.empty() && !body) {
        QQuickItem* item = pending.back();
        pending.pop_back();
        if (item->inherits("QQuickTextArea"))
            body = item;
        for (QQuickItem* child : item->childItems())
            pending.push_back(child);
    }
    ASSERT_TRUE(body) << "the section's text area";
    body->forceActiveFocus();
    body->setProperty("cursorPosition", body->property("length"));
    for (const char c : std::string(" Reviewed twice."))
        QTest::keyClick(&page, c);
    ASSERT_TRUE(QTest::qWaitFor(
        [&] {
            const auto findings = store::ReviewRepository(workstation->database()).findings(caseId());
            return findings.section(model::SectionKey::Pathology).bodyMarkdown.ends_with(" Reviewed twice.");
        },
        5000))
        << "the typed text reached the database";

    // The radiologist may read it but not change it: the store refuses, naming why.
    ASSERT_TRUE(workstation->signIn("Dr Jonas Berg", "radiologist").isEmpty());
    const QString refusal = editor->saveSection("pathology", "Overwritten.", true);
    EXPECT_FALSE(refusal.isEmpty());
    const auto findings = store::ReviewRepository(workstation->database()).findings(caseId());
    EXPECT_TRUE(findings.section(model::SectionKey::Pathology).bodyMarkdown.ends_with(" Reviewed twice."));
}

TEST_F(Review, ChairFinalizesOnlyWhenEverySectionIsReady)
{
    ASSERT_TRUE(workstation->signIn("Dr Amelia Rossi", "board-chair").isEmpty());
    app::ReviewEditor editor;
    editor.setCaseReference(reference);
    ASSERT_TRUE(editor.error().isEmpty()) << editor.error().toStdString();
    ASSERT_TRUE(editor.isChair());
    for (const QVariant& s : editor.sections()) {
        const QVariantMap section = s.toMap();
        if (!section.value("ready").toBool() && section.value("editable").toBool()) {
            EXPECT_FALSE(editor.finalize({}).isEmpty()) << "refused while a section is a draft";
            EXPECT_TRUE(editor.versions().isEmpty());
            const QString key = section.value("key").toString();
            ASSERT_TRUE(editor.saveSection(key, editor.sectionBody(key), true).isEmpty());
        }
    }
    ASSERT_TRUE(editor.allReady()) << "the demo's pathologist and radiologist sections are ready";
    const QString signedOff = editor.finalize({});
    ASSERT_TRUE(signedOff.isEmpty()) << signedOff.toStdString();
    ASSERT_EQ(editor.versions().size(), 1);
    const QVariantMap v = editor.versions().front().toMap();
    EXPECT_EQ(v.value("version").toInt(), 1);
    EXPECT_EQ(v.value("sha256").toString().size(), 64);
    EXPECT_GE(v.value("pages").toInt(), 5);
    EXPECT_LE(v.value("pages").toInt(), 8);
    EXPECT_FALSE(editor.finalize({}).isEmpty()) << "an amendment needs a reason";
    EXPECT_TRUE(editor.finalize("Typo in the radiology section corrected").isEmpty());
    EXPECT_EQ(editor.versions().size(), 2);
}
