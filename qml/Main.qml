import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts
import Consilium

ApplicationWindow {
    id: window
    property string screenshotFolder: ""
    property bool startMaximized: false

    width: 1600
    height: 1000
    visible: true
    visibility: startMaximized ? Window.Maximized : Window.Windowed
    title: qsTr("Consilium — tumour-board second opinions")
    color: Theme.background
    Material.theme: Material.Light
    Material.accent: Theme.accent
    Material.primary: Theme.accent

    header: ToolBar {
        Material.background: Theme.accent
        Material.foreground: "white"
        height: 52
        RowLayout {
            anchors.fill: parent
            anchors.leftMargin: 16
            anchors.rightMargin: 16
            spacing: 12
            ToolButton {
                text: "\u2039 " + qsTr("Cases")
                visible: stack.depth > 1
                onClicked: stack.pop()
            }
            Label {
                text: "Consilium"
                font.pixelSize: 20
                font.weight: Font.DemiBold
                color: "white"
            }
            Label {
                text: qsTr("Multidisciplinary second opinions")
                color: "#d5e4ef"
                font.pixelSize: Theme.body
                Layout.fillWidth: true
            }
            Label {
                text: Workstation.signedIn ? Workstation.userName + " · " + Workstation.userRoleText : ""
                color: "white"
                font.pixelSize: Theme.body
            }
            ToolButton {
                text: qsTr("Switch user")
                visible: Workstation.signedIn
                onClicked: signIn.open()
            }
        }
    }

    readonly property var currentPage: stack.currentItem  // untyped: the pages differ

    StackView {
        id: stack
        anchors.fill: parent
        initialItem: CaseListPage {
            onOpenCase: reference => stack.push(overviewPage, { reference: reference })
        }
    }

    Component {
        id: overviewPage
        CaseOverviewPage {
            onReadImaging: reference => stack.push(radiologyPage, { reference: reference })
            onReviewSlides: reference => stack.push(pathologyPage, { reference: reference })
            onWriteReview: reference => stack.push(reviewPage, { reference: reference })
        }
    }

    Component {
        id: reviewPage
        ReviewPage {}
    }

    Component {
        id: pathologyPage
        PathologyPage {}
    }

    Component {
        id: radiologyPage
        RadiologyPage {}
    }

    SignInDialog {
        id: signIn
        anchors.centerIn: parent
    }

    Component.onCompleted: {
        if (!Workstation.signedIn)
            signIn.open()
        if (Workstation.initialCase.length > 0)
            stack.push(overviewPage, { reference: Workstation.initialCase })
        if (screenshotFolder.length > 0)
            screenshots.start()
    }

    // Scripted screenshots for the GUI smoke test and the user guide: case list, then the overview of the
    // initial case, then quit. Each waits until the page has settled (thumbnails load off the UI thread).
    Timer {
        id: screenshots
        property int step: 0
        interval: 1500
        repeat: true
        onTriggered: {
            try {
                advance()
            } catch (error) {
                console.error("screenshot sequence failed: " + error)
                stop()
                Qt.exit(3)
            }
        }
        function advance() {
            if (step === 0) {
                if (stack.depth > 1)
                    stack.pop(null, StackView.Immediate)
                step = 1
            } else if (step === 1) {
                Workstation.saveScreenshot(window, window.screenshotFolder + "/case-list.png")
                if (Workstation.initialCase.length > 0)
                    stack.push(overviewPage, { reference: Workstation.initialCase }, StackView.Immediate)
                step = 2
            } else if (step === 2) {
                step = 3   // one more interval for thumbnails and the PDF page
            } else if (step === 3) {
                Workstation.saveScreenshot(window, window.screenshotFolder + "/case-overview.png")
                stack.replace(overviewPage, { reference: Workstation.initialCase, startAtBottom: true },
                              StackView.Immediate)
                step = 4
            } else if (step === 4) {
                step = 5
            } else if (step === 5) {
                Workstation.saveScreenshot(window, window.screenshotFolder + "/case-overview-lower.png")
                stack.push(radiologyPage, { reference: Workstation.initialCase }, StackView.Immediate)
                step = 6
            } else if (step < 40 && !window.currentPage.settled) {
                step += 1   // volumes load off the UI thread; wait for them (at most ~50 s)
            } else if (step < 100) {
                step = 100  // one more interval: the views sample and draw their first frames
            } else if (step === 100) {
                Workstation.saveScreenshot(window, window.screenshotFolder + "/radiology.png")
                stack.replace(pathologyPage, { reference: Workstation.initialCase }, StackView.Immediate)
                step = 101
            } else if (step < 130 && !window.currentPage.settled) {
                step += 1   // the slide opens and its tiles load off the UI thread
            } else if (step < 200) {
                Workstation.saveScreenshot(window, window.screenshotFolder + "/pathology.png")
                stack.replace(reviewPage, { reference: Workstation.initialCase }, StackView.Immediate)
                step = 200
            } else if (step < 220 && !window.currentPage.settled) {
                step += 1   // the draft compiles off the UI thread
            } else {
                Workstation.saveScreenshot(window, window.screenshotFolder + "/review.png")
                stop()
                Qt.quit()
            }
        }
    }
}
